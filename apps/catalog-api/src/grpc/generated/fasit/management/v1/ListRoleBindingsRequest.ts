// Original file: ../../proto/fasit/management/v1/management.proto


export interface ListRoleBindingsRequest {
}

export interface ListRoleBindingsRequest__Output {
}
