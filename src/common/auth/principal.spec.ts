import { canRead, canWrite, mayAdminister, Principal, tenantsOf } from './principal';

const A = '6f1c1f0e-3a52-4c1e-9d7e-0c8f8f3b2a11';
const B = '0b7d1c2e-8e4f-4f6a-a1b2-3c4d5e6f7a8b';

const principal = (roles: Principal['roles'], bizIds: string[] = [A]): Principal => ({ userId: B, roles, bizIds });

describe('principal', () => {
  it.each<[Principal['roles'], boolean, boolean]>([
    [['user'], false, false],
    [['viewer'], true, false],
    [['admin'], true, true],
    [['superadmin'], true, true],
    [['user', 'viewer'], true, false],
  ])('%j may read the admin API: %s, write: %s', (roles, read, write) => {
    expect(canRead(principal(roles))).toBe(read);
    expect(canWrite(principal(roles))).toBe(write);
  });

  it('scopes an admin to its businesses and a superadmin to all', () => {
    expect(tenantsOf(principal(['admin']))).toEqual({ all: false, bizIds: [A] });
    expect(tenantsOf(principal(['superadmin'], []))).toEqual({ all: true, bizIds: [] });
  });

  it('mayAdminister: own business yes, another no, superadmin any', () => {
    expect(mayAdminister(tenantsOf(principal(['admin'])), A)).toBe(true);
    expect(mayAdminister(tenantsOf(principal(['admin'])), B)).toBe(false);
    expect(mayAdminister(tenantsOf(principal(['superadmin'], [])), B)).toBe(true);
  });

  it('mayAdminister compares UUIDs case-insensitively (the verifier lower-cases biz)', () => {
    expect(mayAdminister(tenantsOf(principal(['admin'])), A.toUpperCase())).toBe(true);
  });
});
