import { describeMetadataOf } from '../../utils/metadata-cases';
import { createLocation } from '../../factories/catalogue';
import { ADMIN_PEOPLE, publicPeople } from './people-helpers';

describe('person metadata', () => {
  describeMetadataOf({
    adminPath: ADMIN_PEOPLE,
    table: 'people',
    body: async (t, biz, admin) => ({ locationId: (await createLocation(t, admin, biz)).id, name: 'Dana Reyes' }),
    publicPath: (created) => `${publicPeople(created.locationId!)}?limit=200`,
  });
});
