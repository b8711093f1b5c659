import { guardedLookup, isPrivateAddress, receiverUrlProblem } from './receiver-address';

describe('webhook receiver addresses', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    'not-an-address',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  const production = { requireHttps: true, allowPrivate: false };
  const development = { requireHttps: false, allowPrivate: false };

  it('production takes https only', () => {
    expect(receiverUrlProblem('https://hooks.example.com/in', production)).toBeUndefined();
    expect(receiverUrlProblem('http://hooks.example.com/in', production)).toBe('must be an https URL');
    expect(receiverUrlProblem('http://hooks.example.com/in', development)).toBeUndefined();
  });

  it('refuses other schemes, credentials and relative URLs', () => {
    expect(receiverUrlProblem('ftp://hooks.example.com/in', development)).toBe('must be an http(s) URL');
    expect(receiverUrlProblem('file:///etc/passwd', development)).toBe('must be an http(s) URL');
    expect(receiverUrlProblem('https://user:pw@hooks.example.com/', development)).toBe('must not carry credentials');
    expect(receiverUrlProblem('/relative', development)).toBe('must be an absolute http(s) URL');
  });

  it('leaves host names to the connect-time check', () => {
    expect(receiverUrlProblem('https://localhost/', production)).toBeUndefined();
  });

  it.each(['https://127.0.0.1/', 'https://[::1]:8443/x', 'https://169.254.169.254/latest', 'https://[::ffff:10.0.0.1]/', 'https://[fe80::1]/'])(
    '%s is refused unless private URLs are allowed',
    (url) => {
      expect(receiverUrlProblem(url, production)).toBe('must not point at a loopback, private or link-local address');
      expect(receiverUrlProblem(url, { requireHttps: true, allowPrivate: true })).toBeUndefined();
    },
  );

  it('at connect time, a name that resolves to loopback is refused; allowed, it resolves', async () => {
    const resolve = (allowPrivate: boolean) =>
      new Promise<{ error: Error | null; address: unknown }>((done) =>
        guardedLookup(allowPrivate)('localhost', {}, (error, address) => done({ error, address })),
      );
    const refused = await resolve(false);
    expect(refused.error?.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a private address$/);
    const allowed = await resolve(true);
    expect(allowed.error).toBeNull();
    expect(isPrivateAddress(allowed.address as string)).toBe(true);
  });
});
