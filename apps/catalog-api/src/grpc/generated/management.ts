import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ApiToken as _fasit_management_v1_ApiToken, ApiToken__Output as _fasit_management_v1_ApiToken__Output } from './fasit/management/v1/ApiToken.js';
import type { CreateEnvironmentRequest as _fasit_management_v1_CreateEnvironmentRequest, CreateEnvironmentRequest__Output as _fasit_management_v1_CreateEnvironmentRequest__Output } from './fasit/management/v1/CreateEnvironmentRequest.js';
import type { CreateEnvironmentResponse as _fasit_management_v1_CreateEnvironmentResponse, CreateEnvironmentResponse__Output as _fasit_management_v1_CreateEnvironmentResponse__Output } from './fasit/management/v1/CreateEnvironmentResponse.js';
import type { CreateRoleBindingRequest as _fasit_management_v1_CreateRoleBindingRequest, CreateRoleBindingRequest__Output as _fasit_management_v1_CreateRoleBindingRequest__Output } from './fasit/management/v1/CreateRoleBindingRequest.js';
import type { CreateRoleBindingResponse as _fasit_management_v1_CreateRoleBindingResponse, CreateRoleBindingResponse__Output as _fasit_management_v1_CreateRoleBindingResponse__Output } from './fasit/management/v1/CreateRoleBindingResponse.js';
import type { CreateTenantRequest as _fasit_management_v1_CreateTenantRequest, CreateTenantRequest__Output as _fasit_management_v1_CreateTenantRequest__Output } from './fasit/management/v1/CreateTenantRequest.js';
import type { CreateTenantResponse as _fasit_management_v1_CreateTenantResponse, CreateTenantResponse__Output as _fasit_management_v1_CreateTenantResponse__Output } from './fasit/management/v1/CreateTenantResponse.js';
import type { DeleteEnvironmentValueRequest as _fasit_management_v1_DeleteEnvironmentValueRequest, DeleteEnvironmentValueRequest__Output as _fasit_management_v1_DeleteEnvironmentValueRequest__Output } from './fasit/management/v1/DeleteEnvironmentValueRequest.js';
import type { DeleteEnvironmentValueResponse as _fasit_management_v1_DeleteEnvironmentValueResponse, DeleteEnvironmentValueResponse__Output as _fasit_management_v1_DeleteEnvironmentValueResponse__Output } from './fasit/management/v1/DeleteEnvironmentValueResponse.js';
import type { DeleteRoleBindingRequest as _fasit_management_v1_DeleteRoleBindingRequest, DeleteRoleBindingRequest__Output as _fasit_management_v1_DeleteRoleBindingRequest__Output } from './fasit/management/v1/DeleteRoleBindingRequest.js';
import type { DeleteRoleBindingResponse as _fasit_management_v1_DeleteRoleBindingResponse, DeleteRoleBindingResponse__Output as _fasit_management_v1_DeleteRoleBindingResponse__Output } from './fasit/management/v1/DeleteRoleBindingResponse.js';
import type { Environment as _fasit_management_v1_Environment, Environment__Output as _fasit_management_v1_Environment__Output } from './fasit/management/v1/Environment.js';
import type { EnvironmentValue as _fasit_management_v1_EnvironmentValue, EnvironmentValue__Output as _fasit_management_v1_EnvironmentValue__Output } from './fasit/management/v1/EnvironmentValue.js';
import type { FasitClient as _fasit_management_v1_FasitClient, FasitDefinition as _fasit_management_v1_FasitDefinition } from './fasit/management/v1/Fasit.js';
import type { GetEnvironmentRequest as _fasit_management_v1_GetEnvironmentRequest, GetEnvironmentRequest__Output as _fasit_management_v1_GetEnvironmentRequest__Output } from './fasit/management/v1/GetEnvironmentRequest.js';
import type { GetEnvironmentResponse as _fasit_management_v1_GetEnvironmentResponse, GetEnvironmentResponse__Output as _fasit_management_v1_GetEnvironmentResponse__Output } from './fasit/management/v1/GetEnvironmentResponse.js';
import type { GetEnvironmentValueRequest as _fasit_management_v1_GetEnvironmentValueRequest, GetEnvironmentValueRequest__Output as _fasit_management_v1_GetEnvironmentValueRequest__Output } from './fasit/management/v1/GetEnvironmentValueRequest.js';
import type { GetEnvironmentValueResponse as _fasit_management_v1_GetEnvironmentValueResponse, GetEnvironmentValueResponse__Output as _fasit_management_v1_GetEnvironmentValueResponse__Output } from './fasit/management/v1/GetEnvironmentValueResponse.js';
import type { GetTenantRequest as _fasit_management_v1_GetTenantRequest, GetTenantRequest__Output as _fasit_management_v1_GetTenantRequest__Output } from './fasit/management/v1/GetTenantRequest.js';
import type { GetTenantResponse as _fasit_management_v1_GetTenantResponse, GetTenantResponse__Output as _fasit_management_v1_GetTenantResponse__Output } from './fasit/management/v1/GetTenantResponse.js';
import type { IssueApiTokenRequest as _fasit_management_v1_IssueApiTokenRequest, IssueApiTokenRequest__Output as _fasit_management_v1_IssueApiTokenRequest__Output } from './fasit/management/v1/IssueApiTokenRequest.js';
import type { IssueApiTokenResponse as _fasit_management_v1_IssueApiTokenResponse, IssueApiTokenResponse__Output as _fasit_management_v1_IssueApiTokenResponse__Output } from './fasit/management/v1/IssueApiTokenResponse.js';
import type { Label as _fasit_management_v1_Label, Label__Output as _fasit_management_v1_Label__Output } from './fasit/management/v1/Label.js';
import type { ListApiTokensRequest as _fasit_management_v1_ListApiTokensRequest, ListApiTokensRequest__Output as _fasit_management_v1_ListApiTokensRequest__Output } from './fasit/management/v1/ListApiTokensRequest.js';
import type { ListApiTokensResponse as _fasit_management_v1_ListApiTokensResponse, ListApiTokensResponse__Output as _fasit_management_v1_ListApiTokensResponse__Output } from './fasit/management/v1/ListApiTokensResponse.js';
import type { ListEnvironmentValuesRequest as _fasit_management_v1_ListEnvironmentValuesRequest, ListEnvironmentValuesRequest__Output as _fasit_management_v1_ListEnvironmentValuesRequest__Output } from './fasit/management/v1/ListEnvironmentValuesRequest.js';
import type { ListEnvironmentValuesResponse as _fasit_management_v1_ListEnvironmentValuesResponse, ListEnvironmentValuesResponse__Output as _fasit_management_v1_ListEnvironmentValuesResponse__Output } from './fasit/management/v1/ListEnvironmentValuesResponse.js';
import type { ListRoleBindingsRequest as _fasit_management_v1_ListRoleBindingsRequest, ListRoleBindingsRequest__Output as _fasit_management_v1_ListRoleBindingsRequest__Output } from './fasit/management/v1/ListRoleBindingsRequest.js';
import type { ListRoleBindingsResponse as _fasit_management_v1_ListRoleBindingsResponse, ListRoleBindingsResponse__Output as _fasit_management_v1_ListRoleBindingsResponse__Output } from './fasit/management/v1/ListRoleBindingsResponse.js';
import type { RevokeApiTokenRequest as _fasit_management_v1_RevokeApiTokenRequest, RevokeApiTokenRequest__Output as _fasit_management_v1_RevokeApiTokenRequest__Output } from './fasit/management/v1/RevokeApiTokenRequest.js';
import type { RevokeApiTokenResponse as _fasit_management_v1_RevokeApiTokenResponse, RevokeApiTokenResponse__Output as _fasit_management_v1_RevokeApiTokenResponse__Output } from './fasit/management/v1/RevokeApiTokenResponse.js';
import type { RoleBinding as _fasit_management_v1_RoleBinding, RoleBinding__Output as _fasit_management_v1_RoleBinding__Output } from './fasit/management/v1/RoleBinding.js';
import type { SetEnvironmentValueRequest as _fasit_management_v1_SetEnvironmentValueRequest, SetEnvironmentValueRequest__Output as _fasit_management_v1_SetEnvironmentValueRequest__Output } from './fasit/management/v1/SetEnvironmentValueRequest.js';
import type { SetEnvironmentValueResponse as _fasit_management_v1_SetEnvironmentValueResponse, SetEnvironmentValueResponse__Output as _fasit_management_v1_SetEnvironmentValueResponse__Output } from './fasit/management/v1/SetEnvironmentValueResponse.js';
import type { Tenant as _fasit_management_v1_Tenant, Tenant__Output as _fasit_management_v1_Tenant__Output } from './fasit/management/v1/Tenant.js';
import type { UpdateEnvironmentRequest as _fasit_management_v1_UpdateEnvironmentRequest, UpdateEnvironmentRequest__Output as _fasit_management_v1_UpdateEnvironmentRequest__Output } from './fasit/management/v1/UpdateEnvironmentRequest.js';
import type { UpdateEnvironmentResponse as _fasit_management_v1_UpdateEnvironmentResponse, UpdateEnvironmentResponse__Output as _fasit_management_v1_UpdateEnvironmentResponse__Output } from './fasit/management/v1/UpdateEnvironmentResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  fasit: {
    management: {
      v1: {
        ApiToken: MessageTypeDefinition<_fasit_management_v1_ApiToken, _fasit_management_v1_ApiToken__Output>
        CreateEnvironmentRequest: MessageTypeDefinition<_fasit_management_v1_CreateEnvironmentRequest, _fasit_management_v1_CreateEnvironmentRequest__Output>
        CreateEnvironmentResponse: MessageTypeDefinition<_fasit_management_v1_CreateEnvironmentResponse, _fasit_management_v1_CreateEnvironmentResponse__Output>
        CreateRoleBindingRequest: MessageTypeDefinition<_fasit_management_v1_CreateRoleBindingRequest, _fasit_management_v1_CreateRoleBindingRequest__Output>
        CreateRoleBindingResponse: MessageTypeDefinition<_fasit_management_v1_CreateRoleBindingResponse, _fasit_management_v1_CreateRoleBindingResponse__Output>
        CreateTenantRequest: MessageTypeDefinition<_fasit_management_v1_CreateTenantRequest, _fasit_management_v1_CreateTenantRequest__Output>
        CreateTenantResponse: MessageTypeDefinition<_fasit_management_v1_CreateTenantResponse, _fasit_management_v1_CreateTenantResponse__Output>
        DeleteEnvironmentValueRequest: MessageTypeDefinition<_fasit_management_v1_DeleteEnvironmentValueRequest, _fasit_management_v1_DeleteEnvironmentValueRequest__Output>
        DeleteEnvironmentValueResponse: MessageTypeDefinition<_fasit_management_v1_DeleteEnvironmentValueResponse, _fasit_management_v1_DeleteEnvironmentValueResponse__Output>
        DeleteRoleBindingRequest: MessageTypeDefinition<_fasit_management_v1_DeleteRoleBindingRequest, _fasit_management_v1_DeleteRoleBindingRequest__Output>
        DeleteRoleBindingResponse: MessageTypeDefinition<_fasit_management_v1_DeleteRoleBindingResponse, _fasit_management_v1_DeleteRoleBindingResponse__Output>
        Environment: MessageTypeDefinition<_fasit_management_v1_Environment, _fasit_management_v1_Environment__Output>
        EnvironmentKind: EnumTypeDefinition
        EnvironmentValue: MessageTypeDefinition<_fasit_management_v1_EnvironmentValue, _fasit_management_v1_EnvironmentValue__Output>
        Fasit: SubtypeConstructor<typeof grpc.Client, _fasit_management_v1_FasitClient> & { service: _fasit_management_v1_FasitDefinition }
        GetEnvironmentRequest: MessageTypeDefinition<_fasit_management_v1_GetEnvironmentRequest, _fasit_management_v1_GetEnvironmentRequest__Output>
        GetEnvironmentResponse: MessageTypeDefinition<_fasit_management_v1_GetEnvironmentResponse, _fasit_management_v1_GetEnvironmentResponse__Output>
        GetEnvironmentValueRequest: MessageTypeDefinition<_fasit_management_v1_GetEnvironmentValueRequest, _fasit_management_v1_GetEnvironmentValueRequest__Output>
        GetEnvironmentValueResponse: MessageTypeDefinition<_fasit_management_v1_GetEnvironmentValueResponse, _fasit_management_v1_GetEnvironmentValueResponse__Output>
        GetTenantRequest: MessageTypeDefinition<_fasit_management_v1_GetTenantRequest, _fasit_management_v1_GetTenantRequest__Output>
        GetTenantResponse: MessageTypeDefinition<_fasit_management_v1_GetTenantResponse, _fasit_management_v1_GetTenantResponse__Output>
        IssueApiTokenRequest: MessageTypeDefinition<_fasit_management_v1_IssueApiTokenRequest, _fasit_management_v1_IssueApiTokenRequest__Output>
        IssueApiTokenResponse: MessageTypeDefinition<_fasit_management_v1_IssueApiTokenResponse, _fasit_management_v1_IssueApiTokenResponse__Output>
        Label: MessageTypeDefinition<_fasit_management_v1_Label, _fasit_management_v1_Label__Output>
        ListApiTokensRequest: MessageTypeDefinition<_fasit_management_v1_ListApiTokensRequest, _fasit_management_v1_ListApiTokensRequest__Output>
        ListApiTokensResponse: MessageTypeDefinition<_fasit_management_v1_ListApiTokensResponse, _fasit_management_v1_ListApiTokensResponse__Output>
        ListEnvironmentValuesRequest: MessageTypeDefinition<_fasit_management_v1_ListEnvironmentValuesRequest, _fasit_management_v1_ListEnvironmentValuesRequest__Output>
        ListEnvironmentValuesResponse: MessageTypeDefinition<_fasit_management_v1_ListEnvironmentValuesResponse, _fasit_management_v1_ListEnvironmentValuesResponse__Output>
        ListRoleBindingsRequest: MessageTypeDefinition<_fasit_management_v1_ListRoleBindingsRequest, _fasit_management_v1_ListRoleBindingsRequest__Output>
        ListRoleBindingsResponse: MessageTypeDefinition<_fasit_management_v1_ListRoleBindingsResponse, _fasit_management_v1_ListRoleBindingsResponse__Output>
        RevokeApiTokenRequest: MessageTypeDefinition<_fasit_management_v1_RevokeApiTokenRequest, _fasit_management_v1_RevokeApiTokenRequest__Output>
        RevokeApiTokenResponse: MessageTypeDefinition<_fasit_management_v1_RevokeApiTokenResponse, _fasit_management_v1_RevokeApiTokenResponse__Output>
        Role: EnumTypeDefinition
        RoleBinding: MessageTypeDefinition<_fasit_management_v1_RoleBinding, _fasit_management_v1_RoleBinding__Output>
        SetEnvironmentValueRequest: MessageTypeDefinition<_fasit_management_v1_SetEnvironmentValueRequest, _fasit_management_v1_SetEnvironmentValueRequest__Output>
        SetEnvironmentValueResponse: MessageTypeDefinition<_fasit_management_v1_SetEnvironmentValueResponse, _fasit_management_v1_SetEnvironmentValueResponse__Output>
        Tenant: MessageTypeDefinition<_fasit_management_v1_Tenant, _fasit_management_v1_Tenant__Output>
        UpdateEnvironmentRequest: MessageTypeDefinition<_fasit_management_v1_UpdateEnvironmentRequest, _fasit_management_v1_UpdateEnvironmentRequest__Output>
        UpdateEnvironmentResponse: MessageTypeDefinition<_fasit_management_v1_UpdateEnvironmentResponse, _fasit_management_v1_UpdateEnvironmentResponse__Output>
      }
    }
  }
}

