// Original file: ../../proto/fasit/management/v1/management.proto

export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  VIEWER: 'VIEWER',
  OPERATOR: 'OPERATOR',
  ADMIN: 'ADMIN',
} as const;

export type Role =
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'VIEWER'
  | 1
  | 'OPERATOR'
  | 2
  | 'ADMIN'
  | 3

export type Role__Output = typeof Role[keyof typeof Role]
