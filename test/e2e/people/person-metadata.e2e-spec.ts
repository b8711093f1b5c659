import { createBusiness } from '../../factories/factories';
import { describeMetadataOf } from '../../utils/metadata-cases';
import { token } from '../../utils/test-app';
import { ADMIN_PEOPLE, createLocation, publicPeople } from './people-helpers';

describe('person metadata', () => {
  describeMetadataOf({
    adminPath: ADMIN_PEOPLE,
    table: 'people',
    world: async (t) => {
      const biz = await createBusiness(t.db);
      const other = await createBusiness(t.db);
      const admin = await token({ roles: ['admin'], biz: [biz] });
      return {
        biz,
        admin,
        otherAdmin: await token({ roles: ['admin'], biz: [other] }),
        user: await token(),
        body: { locationId: await createLocation(t, admin, biz), name: 'Dana Reyes' },
      };
    },
    publicPath: (created) => `${publicPeople(created.locationId!)}?limit=200`,
  });
});
