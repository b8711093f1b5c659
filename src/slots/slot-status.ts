export const SLOT_STATUSES = ['open', 'blocked', 'retired'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];
