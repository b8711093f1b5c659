import { metadataKeyOf, metadataProblem, splitMetadataChange } from './metadata';
import { parseQuery } from '../http/query-parser';

const keys = (n: number, value: string | null = 'v'): Record<string, string | null> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value]));

describe('metadata: the one shape check', () => {
  it.each([
    ['an empty object', {}],
    ['50 keys', keys(50)],
    ['a key of 40 characters and a value of 500', { ['k'.repeat(40)]: 'v'.repeat(500) }],
    ['a key of 40 code points outside the BMP', { ['😀'.repeat(40)]: 'x' }],
    ['an empty string value', { note: '' }],
  ])('accepts %s', (_, value) => {
    expect(metadataProblem(value)).toBeUndefined();
  });

  it.each([
    ['null', null, { message: 'must be an object of string values' }],
    ['an array', ['a'], { message: 'must be an object of string values' }],
    ['a string', 'a=b', { message: 'must be an object of string values' }],
    ['51 keys', keys(51), { message: 'must have at most 50 keys' }],
    ['an empty key', { '': 'x' }, { key: '', message: 'must be a key of 1 to 40 characters' }],
    ['a key of 41 characters', { ['k'.repeat(41)]: 'x' }, { key: 'k'.repeat(41), message: 'must be a key of 1 to 40 characters' }],
    ['a key with brackets', { 'a[b]': 'x' }, { key: 'a[b]', message: 'must be a key without square brackets or NUL characters' }],
    ['a number value', { colour: 7 }, { key: 'colour', message: 'must be a string of at most 500 characters' }],
    ['a nested object', { colour: { a: 'b' } }, { key: 'colour', message: 'must be a string of at most 500 characters' }],
    ['a null value outside a change', { colour: null }, { key: 'colour', message: 'must be a string of at most 500 characters' }],
    ['a value of 501 characters', { colour: 'v'.repeat(501) }, { key: 'colour', message: 'must be a string of at most 500 characters' }],
    ['a NUL in a value', { colour: 'a\u0000b' }, { key: 'colour', message: 'must not contain NUL characters' }],
  ])('refuses %s', (_, value, problem) => {
    expect(metadataProblem(value)).toEqual(problem);
  });

  it('names the first bad key, in the order sent', () => {
    expect(metadataProblem({ fine: 'x', first: 1, second: 2 })?.key).toBe('first');
  });

  describe('a change', () => {
    it('takes null as the removal of a key, and up to 100 keys', () => {
      expect(metadataProblem({ gone: null, kept: 'x' }, 'change')).toBeUndefined();
      expect(metadataProblem(keys(100, null), 'change')).toBeUndefined();
      expect(metadataProblem(keys(101, null), 'change')).toEqual({ message: 'must have at most 100 keys' });
      expect(metadataProblem({ colour: 5 }, 'change')).toEqual({ key: 'colour', message: 'must be a string of at most 500 characters, or null to remove the key' });
    });

    it('splits into the keys set and the keys removed', () => {
      expect(splitMetadataChange({ a: '1', b: null, c: '' })).toEqual({ set: { a: '1', c: '' }, removed: ['b'] });
    });
  });

  describe('the list filter', () => {
    it('takes exactly one pair', () => {
      expect(metadataProblem({ crmId: 'C-1' }, 'filter')).toBeUndefined();
      expect(metadataProblem({}, 'filter')).toEqual({ message: 'must name exactly one key: metadata[key]=value' });
      expect(metadataProblem({ a: '1', b: '2' }, 'filter')).toEqual({ message: 'must name exactly one key: metadata[key]=value' });
      expect(metadataProblem({ a: ['1', '2'] }, 'filter')).toEqual({ key: 'a', message: 'must be one string of at most 500 characters' });
      expect(metadataProblem('C-1', 'filter')).toEqual({ message: 'must be given as metadata[key]=value' });
    });
  });

  it('tells the validation pipe which key a metadata constraint is about, and nothing for other constraints', () => {
    expect(metadataKeyOf('isMetadata', { ok: 'x', bad: 1 })).toBe('bad');
    expect(metadataKeyOf('isMetadataChange', { bad: 1 })).toBe('bad');
    expect(metadataKeyOf('isMetadata', keys(51))).toBeUndefined();
    expect(metadataKeyOf('isString', { bad: 1 })).toBeUndefined();
    expect(metadataKeyOf('toString', { bad: 1 })).toBeUndefined();
  });
});

describe('the query parser', () => {
  it('parses as Express\'s simple parser does', () => {
    expect({ ...parseQuery('status=held&limit=5&types=a&types=b') }).toEqual({ status: 'held', limit: '5', types: ['a', 'b'] });
    expect({ ...parseQuery('limit[]=1&from[$gt]=x&a.b=c') }).toEqual({ 'limit[]': '1', 'from[$gt]': 'x', 'a.b': 'c' });
  });

  it('folds metadata[key]=value pairs into one metadata object', () => {
    expect({ ...parseQuery('metadata[crmId]=C-1&limit=5') }).toEqual({ metadata: { crmId: 'C-1' }, limit: '5' });
    expect({ ...parseQuery('metadata[a]=1&metadata[b]=2') }).toEqual({ metadata: { a: '1', b: '2' } });
    expect({ ...parseQuery('metadata[a]=1&metadata[a]=2') }).toEqual({ metadata: { a: ['1', '2'] } });
    expect({ ...parseQuery('metadata%5Bcolour%5D=blue') }).toEqual({ metadata: { colour: 'blue' } });
  });

  it('leaves alone what it cannot fold unambiguously or safely', () => {
    expect({ ...parseQuery('metadata=x&metadata[a]=1') }).toEqual({ metadata: 'x', 'metadata[a]': '1' });
    expect({ ...parseQuery('metadata[a][b]=1') }).toEqual({ 'metadata[a][b]': '1' });
    expect({ ...parseQuery('metadata[__proto__]=1') }).toEqual({ 'metadata[__proto__]': '1' });
    expect({ ...parseQuery('other[a]=1') }).toEqual({ 'other[a]': '1' });
  });
});
