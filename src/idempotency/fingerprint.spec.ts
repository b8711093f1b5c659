import { requestFingerprint } from './fingerprint';

describe('requestFingerprint', () => {
  it('ignores key order and whitespace (RFC 8785)', () => {
    expect(requestFingerprint(JSON.parse('{ "b": 1, "a": [1, 2, {"y": true, "x": null}] }'))).toBe(
      requestFingerprint(JSON.parse('{"a":[1,2,{"x":null,"y":true}],"b":1}')),
    );
  });

  it('tells different bodies apart, including array order and number values', () => {
    expect(requestFingerprint({ a: [1, 2] })).not.toBe(requestFingerprint({ a: [2, 1] }));
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: 1.5 }));
    expect(requestFingerprint({ a: '1' })).not.toBe(requestFingerprint({ a: 1 }));
  });

  it('hashes a missing body as the empty string, unlike an empty object', () => {
    expect(requestFingerprint(undefined)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(requestFingerprint({})).not.toBe(requestFingerprint(undefined));
  });

  it('normalises numbers as ECMAScript does (1.0 and 1 are one value)', () => {
    expect(requestFingerprint(JSON.parse('{"n": 1.0}'))).toBe(requestFingerprint(JSON.parse('{"n": 1}')));
  });
});
