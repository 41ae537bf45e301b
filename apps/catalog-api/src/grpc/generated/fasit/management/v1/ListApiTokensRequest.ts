// Original file: ../../proto/fasit/management/v1/management.proto


export interface ListApiTokensRequest {
}

export interface ListApiTokensRequest__Output {
}
