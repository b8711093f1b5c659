import { createBusiness, locationBody } from '../../factories/factories';
import { describeMetadataOf } from '../../utils/metadata-cases';
import { token } from '../../utils/test-app';
import { ADMIN_LOCATIONS, PUBLIC_LOCATIONS } from './location-helpers';

describe('location metadata', () => {
  describeMetadataOf({
    adminPath: ADMIN_LOCATIONS,
    table: 'locations',
    world: async (t) => {
      const biz = await createBusiness(t.db);
      const other = await createBusiness(t.db);
      return {
        biz,
        admin: await token({ roles: ['admin'], biz: [biz] }),
        otherAdmin: await token({ roles: ['admin'], biz: [other] }),
        user: await token(),
        body: locationBody(biz),
      };
    },
    publicPath: (created) => `${PUBLIC_LOCATIONS}/${created.id}`,
  });
});
