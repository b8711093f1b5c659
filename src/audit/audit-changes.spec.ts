import { changedFields } from './audit-changes';

describe('changedFields: what an audit row keeps of a write', () => {
  it('keeps only the fields that changed, before and after', () => {
    expect(changedFields({ id: 'a', name: 'Old', weight: 1, updatedAt: 't1' }, { id: 'a', name: 'New', weight: 1, updatedAt: 't2' })).toEqual({
      before: { name: 'Old' },
      after: { name: 'New' },
    });
  });

  it('names nested fields by their path', () => {
    expect(changedFields({ policy: { holdTtlSeconds: 300, exposure: { personMax: 3 } } }, { policy: { holdTtlSeconds: 600, exposure: { personMax: 3 } } })).toEqual({
      before: { 'policy.holdTtlSeconds': 300 },
      after: { 'policy.holdTtlSeconds': 600 },
    });
  });

  it('compares arrays whole', () => {
    expect(changedFields({ events: ['booking.held'] }, { events: ['booking.held', 'booking.cancelled'] })).toEqual({
      before: { events: ['booking.held'] },
      after: { events: ['booking.held', 'booking.cancelled'] },
    });
  });

  it('shows a field that appears or disappears as null on the other side', () => {
    expect(changedFields({ email: 'a@example.com' }, {})).toEqual({ before: { email: 'a@example.com' }, after: { email: null } });
    expect(changedFields({}, { description: 'Front desk' })).toEqual({ before: { description: null }, after: { description: 'Front desk' } });
  });

  it('lists every field after a create and before a removal', () => {
    expect(changedFields(undefined, { id: 'a', name: 'New', updatedAt: 't' })).toEqual({ before: null, after: { id: 'a', name: 'New' } });
    expect(changedFields({ id: 'a', url: 'https://example.com/hook' }, undefined)).toEqual({ before: { id: 'a', url: 'https://example.com/hook' }, after: null });
  });

  it('is empty when nothing changed', () => {
    expect(changedFields({ active: false }, { active: false })).toEqual({ before: {}, after: {} });
  });
});
