/** Which fields a template uses, with or without a fallback: decided in shared/merge-fields.ts (the core's review asks the same). */
export { fieldUses, type FieldUse } from '../../../../shared/merge-fields';
