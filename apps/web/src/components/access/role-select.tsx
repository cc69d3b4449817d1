import { ACCESS_ROLES, type AccessRole } from '@wallet/contract';

import { Field, inputClass } from '../ui';

/** The role a new key or operator gets, labelled ("Key role", "Operator role"). */
export function RoleSelect({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: AccessRole;
  onChange: (role: AccessRole) => void;
}) {
  return (
    <Field id={id} label={label} className="min-w-40">
      <select
        id={id}
        value={value}
        onChange={(event) => {
          onChange(event.target.value as AccessRole);
        }}
        className={inputClass}
      >
        {ACCESS_ROLES.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
    </Field>
  );
}
