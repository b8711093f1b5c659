import { locationBody } from '../../factories/factories';
import { describeMetadataOf } from '../../utils/metadata-cases';
import { ADMIN_LOCATIONS, PUBLIC_LOCATIONS } from './location-helpers';

describe('location metadata', () => {
  describeMetadataOf({
    adminPath: ADMIN_LOCATIONS,
    table: 'locations',
    body: async (_t, biz) => locationBody(biz),
    publicPath: (created) => `${PUBLIC_LOCATIONS}/${created.id}`,
  });
});
