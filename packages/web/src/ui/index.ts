export { cx } from './cx.ts';
export { FieldFrame, TextField, SelectField } from './Field.tsx';
export { Alert } from './Alert.tsx';
export { Loading } from './Loading.tsx';
export { PageHeader, usePageTitle } from './PageHeader.tsx';
export { Badge } from './Badge.tsx';
export { ConfirmButton } from './ConfirmButton.tsx';
