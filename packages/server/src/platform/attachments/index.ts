/** The attachment store for case files: content-addressed, type-sniffed, size-limited, virus-scanned. */
export {
  AttachmentStore,
  DEFAULT_ALLOWED_TYPES,
  noScanner,
  sniffText,
  type AllowedType,
  type AttachmentScanner,
  type StoredAttachment,
} from './attachment-store.ts';
export { clamdScanner, scannerFromEnv } from './clamd-scanner.ts';
