// Original file: ../../proto/fasit/management/v1/management.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateEnvironmentRequest as _fasit_management_v1_CreateEnvironmentRequest, CreateEnvironmentRequest__Output as _fasit_management_v1_CreateEnvironmentRequest__Output } from '../../../fasit/management/v1/CreateEnvironmentRequest.js';
import type { CreateEnvironmentResponse as _fasit_management_v1_CreateEnvironmentResponse, CreateEnvironmentResponse__Output as _fasit_management_v1_CreateEnvironmentResponse__Output } from '../../../fasit/management/v1/CreateEnvironmentResponse.js';
import type { CreateRoleBindingRequest as _fasit_management_v1_CreateRoleBindingRequest, CreateRoleBindingRequest__Output as _fasit_management_v1_CreateRoleBindingRequest__Output } from '../../../fasit/management/v1/CreateRoleBindingRequest.js';
import type { CreateRoleBindingResponse as _fasit_management_v1_CreateRoleBindingResponse, CreateRoleBindingResponse__Output as _fasit_management_v1_CreateRoleBindingResponse__Output } from '../../../fasit/management/v1/CreateRoleBindingResponse.js';
import type { CreateTenantRequest as _fasit_management_v1_CreateTenantRequest, CreateTenantRequest__Output as _fasit_management_v1_CreateTenantRequest__Output } from '../../../fasit/management/v1/CreateTenantRequest.js';
import type { CreateTenantResponse as _fasit_management_v1_CreateTenantResponse, CreateTenantResponse__Output as _fasit_management_v1_CreateTenantResponse__Output } from '../../../fasit/management/v1/CreateTenantResponse.js';
import type { DeleteEnvironmentValueRequest as _fasit_management_v1_DeleteEnvironmentValueRequest, DeleteEnvironmentValueRequest__Output as _fasit_management_v1_DeleteEnvironmentValueRequest__Output } from '../../../fasit/management/v1/DeleteEnvironmentValueRequest.js';
import type { DeleteEnvironmentValueResponse as _fasit_management_v1_DeleteEnvironmentValueResponse, DeleteEnvironmentValueResponse__Output as _fasit_management_v1_DeleteEnvironmentValueResponse__Output } from '../../../fasit/management/v1/DeleteEnvironmentValueResponse.js';
import type { DeleteRoleBindingRequest as _fasit_management_v1_DeleteRoleBindingRequest, DeleteRoleBindingRequest__Output as _fasit_management_v1_DeleteRoleBindingRequest__Output } from '../../../fasit/management/v1/DeleteRoleBindingRequest.js';
import type { DeleteRoleBindingResponse as _fasit_management_v1_DeleteRoleBindingResponse, DeleteRoleBindingResponse__Output as _fasit_management_v1_DeleteRoleBindingResponse__Output } from '../../../fasit/management/v1/DeleteRoleBindingResponse.js';
import type { GetEnvironmentRequest as _fasit_management_v1_GetEnvironmentRequest, GetEnvironmentRequest__Output as _fasit_management_v1_GetEnvironmentRequest__Output } from '../../../fasit/management/v1/GetEnvironmentRequest.js';
import type { GetEnvironmentResponse as _fasit_management_v1_GetEnvironmentResponse, GetEnvironmentResponse__Output as _fasit_management_v1_GetEnvironmentResponse__Output } from '../../../fasit/management/v1/GetEnvironmentResponse.js';
import type { GetEnvironmentValueRequest as _fasit_management_v1_GetEnvironmentValueRequest, GetEnvironmentValueRequest__Output as _fasit_management_v1_GetEnvironmentValueRequest__Output } from '../../../fasit/management/v1/GetEnvironmentValueRequest.js';
import type { GetEnvironmentValueResponse as _fasit_management_v1_GetEnvironmentValueResponse, GetEnvironmentValueResponse__Output as _fasit_management_v1_GetEnvironmentValueResponse__Output } from '../../../fasit/management/v1/GetEnvironmentValueResponse.js';
import type { GetTenantRequest as _fasit_management_v1_GetTenantRequest, GetTenantRequest__Output as _fasit_management_v1_GetTenantRequest__Output } from '../../../fasit/management/v1/GetTenantRequest.js';
import type { GetTenantResponse as _fasit_management_v1_GetTenantResponse, GetTenantResponse__Output as _fasit_management_v1_GetTenantResponse__Output } from '../../../fasit/management/v1/GetTenantResponse.js';
import type { IssueApiTokenRequest as _fasit_management_v1_IssueApiTokenRequest, IssueApiTokenRequest__Output as _fasit_management_v1_IssueApiTokenRequest__Output } from '../../../fasit/management/v1/IssueApiTokenRequest.js';
import type { IssueApiTokenResponse as _fasit_management_v1_IssueApiTokenResponse, IssueApiTokenResponse__Output as _fasit_management_v1_IssueApiTokenResponse__Output } from '../../../fasit/management/v1/IssueApiTokenResponse.js';
import type { ListApiTokensRequest as _fasit_management_v1_ListApiTokensRequest, ListApiTokensRequest__Output as _fasit_management_v1_ListApiTokensRequest__Output } from '../../../fasit/management/v1/ListApiTokensRequest.js';
import type { ListApiTokensResponse as _fasit_management_v1_ListApiTokensResponse, ListApiTokensResponse__Output as _fasit_management_v1_ListApiTokensResponse__Output } from '../../../fasit/management/v1/ListApiTokensResponse.js';
import type { ListEnvironmentValuesRequest as _fasit_management_v1_ListEnvironmentValuesRequest, ListEnvironmentValuesRequest__Output as _fasit_management_v1_ListEnvironmentValuesRequest__Output } from '../../../fasit/management/v1/ListEnvironmentValuesRequest.js';
import type { ListEnvironmentValuesResponse as _fasit_management_v1_ListEnvironmentValuesResponse, ListEnvironmentValuesResponse__Output as _fasit_management_v1_ListEnvironmentValuesResponse__Output } from '../../../fasit/management/v1/ListEnvironmentValuesResponse.js';
import type { ListRoleBindingsRequest as _fasit_management_v1_ListRoleBindingsRequest, ListRoleBindingsRequest__Output as _fasit_management_v1_ListRoleBindingsRequest__Output } from '../../../fasit/management/v1/ListRoleBindingsRequest.js';
import type { ListRoleBindingsResponse as _fasit_management_v1_ListRoleBindingsResponse, ListRoleBindingsResponse__Output as _fasit_management_v1_ListRoleBindingsResponse__Output } from '../../../fasit/management/v1/ListRoleBindingsResponse.js';
import type { RevokeApiTokenRequest as _fasit_management_v1_RevokeApiTokenRequest, RevokeApiTokenRequest__Output as _fasit_management_v1_RevokeApiTokenRequest__Output } from '../../../fasit/management/v1/RevokeApiTokenRequest.js';
import type { RevokeApiTokenResponse as _fasit_management_v1_RevokeApiTokenResponse, RevokeApiTokenResponse__Output as _fasit_management_v1_RevokeApiTokenResponse__Output } from '../../../fasit/management/v1/RevokeApiTokenResponse.js';
import type { SetEnvironmentValueRequest as _fasit_management_v1_SetEnvironmentValueRequest, SetEnvironmentValueRequest__Output as _fasit_management_v1_SetEnvironmentValueRequest__Output } from '../../../fasit/management/v1/SetEnvironmentValueRequest.js';
import type { SetEnvironmentValueResponse as _fasit_management_v1_SetEnvironmentValueResponse, SetEnvironmentValueResponse__Output as _fasit_management_v1_SetEnvironmentValueResponse__Output } from '../../../fasit/management/v1/SetEnvironmentValueResponse.js';
import type { UpdateEnvironmentRequest as _fasit_management_v1_UpdateEnvironmentRequest, UpdateEnvironmentRequest__Output as _fasit_management_v1_UpdateEnvironmentRequest__Output } from '../../../fasit/management/v1/UpdateEnvironmentRequest.js';
import type { UpdateEnvironmentResponse as _fasit_management_v1_UpdateEnvironmentResponse, UpdateEnvironmentResponse__Output as _fasit_management_v1_UpdateEnvironmentResponse__Output } from '../../../fasit/management/v1/UpdateEnvironmentResponse.js';

export interface FasitClient extends grpc.Client {
  CreateEnvironment(argument: _fasit_management_v1_CreateEnvironmentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  CreateEnvironment(argument: _fasit_management_v1_CreateEnvironmentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_CreateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  CreateEnvironment(argument: _fasit_management_v1_CreateEnvironmentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  CreateEnvironment(argument: _fasit_management_v1_CreateEnvironmentRequest, callback: grpc.requestCallback<_fasit_management_v1_CreateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  createEnvironment(argument: _fasit_management_v1_CreateEnvironmentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  createEnvironment(argument: _fasit_management_v1_CreateEnvironmentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_CreateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  createEnvironment(argument: _fasit_management_v1_CreateEnvironmentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  createEnvironment(argument: _fasit_management_v1_CreateEnvironmentRequest, callback: grpc.requestCallback<_fasit_management_v1_CreateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  
  CreateRoleBinding(argument: _fasit_management_v1_CreateRoleBindingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  CreateRoleBinding(argument: _fasit_management_v1_CreateRoleBindingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_CreateRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  CreateRoleBinding(argument: _fasit_management_v1_CreateRoleBindingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  CreateRoleBinding(argument: _fasit_management_v1_CreateRoleBindingRequest, callback: grpc.requestCallback<_fasit_management_v1_CreateRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  createRoleBinding(argument: _fasit_management_v1_CreateRoleBindingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  createRoleBinding(argument: _fasit_management_v1_CreateRoleBindingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_CreateRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  createRoleBinding(argument: _fasit_management_v1_CreateRoleBindingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  createRoleBinding(argument: _fasit_management_v1_CreateRoleBindingRequest, callback: grpc.requestCallback<_fasit_management_v1_CreateRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  
  CreateTenant(argument: _fasit_management_v1_CreateTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateTenantResponse__Output>): grpc.ClientUnaryCall;
  CreateTenant(argument: _fasit_management_v1_CreateTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_CreateTenantResponse__Output>): grpc.ClientUnaryCall;
  CreateTenant(argument: _fasit_management_v1_CreateTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateTenantResponse__Output>): grpc.ClientUnaryCall;
  CreateTenant(argument: _fasit_management_v1_CreateTenantRequest, callback: grpc.requestCallback<_fasit_management_v1_CreateTenantResponse__Output>): grpc.ClientUnaryCall;
  createTenant(argument: _fasit_management_v1_CreateTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateTenantResponse__Output>): grpc.ClientUnaryCall;
  createTenant(argument: _fasit_management_v1_CreateTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_CreateTenantResponse__Output>): grpc.ClientUnaryCall;
  createTenant(argument: _fasit_management_v1_CreateTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_CreateTenantResponse__Output>): grpc.ClientUnaryCall;
  createTenant(argument: _fasit_management_v1_CreateTenantRequest, callback: grpc.requestCallback<_fasit_management_v1_CreateTenantResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteEnvironmentValue(argument: _fasit_management_v1_DeleteEnvironmentValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_DeleteEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  DeleteEnvironmentValue(argument: _fasit_management_v1_DeleteEnvironmentValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_DeleteEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  DeleteEnvironmentValue(argument: _fasit_management_v1_DeleteEnvironmentValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_DeleteEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  DeleteEnvironmentValue(argument: _fasit_management_v1_DeleteEnvironmentValueRequest, callback: grpc.requestCallback<_fasit_management_v1_DeleteEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  deleteEnvironmentValue(argument: _fasit_management_v1_DeleteEnvironmentValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_DeleteEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  deleteEnvironmentValue(argument: _fasit_management_v1_DeleteEnvironmentValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_DeleteEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  deleteEnvironmentValue(argument: _fasit_management_v1_DeleteEnvironmentValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_DeleteEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  deleteEnvironmentValue(argument: _fasit_management_v1_DeleteEnvironmentValueRequest, callback: grpc.requestCallback<_fasit_management_v1_DeleteEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteRoleBinding(argument: _fasit_management_v1_DeleteRoleBindingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_DeleteRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoleBinding(argument: _fasit_management_v1_DeleteRoleBindingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_DeleteRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoleBinding(argument: _fasit_management_v1_DeleteRoleBindingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_DeleteRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoleBinding(argument: _fasit_management_v1_DeleteRoleBindingRequest, callback: grpc.requestCallback<_fasit_management_v1_DeleteRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  deleteRoleBinding(argument: _fasit_management_v1_DeleteRoleBindingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_DeleteRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  deleteRoleBinding(argument: _fasit_management_v1_DeleteRoleBindingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_DeleteRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  deleteRoleBinding(argument: _fasit_management_v1_DeleteRoleBindingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_DeleteRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  deleteRoleBinding(argument: _fasit_management_v1_DeleteRoleBindingRequest, callback: grpc.requestCallback<_fasit_management_v1_DeleteRoleBindingResponse__Output>): grpc.ClientUnaryCall;
  
  GetEnvironment(argument: _fasit_management_v1_GetEnvironmentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  GetEnvironment(argument: _fasit_management_v1_GetEnvironmentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  GetEnvironment(argument: _fasit_management_v1_GetEnvironmentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  GetEnvironment(argument: _fasit_management_v1_GetEnvironmentRequest, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  getEnvironment(argument: _fasit_management_v1_GetEnvironmentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  getEnvironment(argument: _fasit_management_v1_GetEnvironmentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  getEnvironment(argument: _fasit_management_v1_GetEnvironmentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  getEnvironment(argument: _fasit_management_v1_GetEnvironmentRequest, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  
  GetEnvironmentValue(argument: _fasit_management_v1_GetEnvironmentValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  GetEnvironmentValue(argument: _fasit_management_v1_GetEnvironmentValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  GetEnvironmentValue(argument: _fasit_management_v1_GetEnvironmentValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  GetEnvironmentValue(argument: _fasit_management_v1_GetEnvironmentValueRequest, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  getEnvironmentValue(argument: _fasit_management_v1_GetEnvironmentValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  getEnvironmentValue(argument: _fasit_management_v1_GetEnvironmentValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  getEnvironmentValue(argument: _fasit_management_v1_GetEnvironmentValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  getEnvironmentValue(argument: _fasit_management_v1_GetEnvironmentValueRequest, callback: grpc.requestCallback<_fasit_management_v1_GetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  
  GetTenant(argument: _fasit_management_v1_GetTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetTenantResponse__Output>): grpc.ClientUnaryCall;
  GetTenant(argument: _fasit_management_v1_GetTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_GetTenantResponse__Output>): grpc.ClientUnaryCall;
  GetTenant(argument: _fasit_management_v1_GetTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetTenantResponse__Output>): grpc.ClientUnaryCall;
  GetTenant(argument: _fasit_management_v1_GetTenantRequest, callback: grpc.requestCallback<_fasit_management_v1_GetTenantResponse__Output>): grpc.ClientUnaryCall;
  getTenant(argument: _fasit_management_v1_GetTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetTenantResponse__Output>): grpc.ClientUnaryCall;
  getTenant(argument: _fasit_management_v1_GetTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_GetTenantResponse__Output>): grpc.ClientUnaryCall;
  getTenant(argument: _fasit_management_v1_GetTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_GetTenantResponse__Output>): grpc.ClientUnaryCall;
  getTenant(argument: _fasit_management_v1_GetTenantRequest, callback: grpc.requestCallback<_fasit_management_v1_GetTenantResponse__Output>): grpc.ClientUnaryCall;
  
  IssueApiToken(argument: _fasit_management_v1_IssueApiTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_IssueApiTokenResponse__Output>): grpc.ClientUnaryCall;
  IssueApiToken(argument: _fasit_management_v1_IssueApiTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_IssueApiTokenResponse__Output>): grpc.ClientUnaryCall;
  IssueApiToken(argument: _fasit_management_v1_IssueApiTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_IssueApiTokenResponse__Output>): grpc.ClientUnaryCall;
  IssueApiToken(argument: _fasit_management_v1_IssueApiTokenRequest, callback: grpc.requestCallback<_fasit_management_v1_IssueApiTokenResponse__Output>): grpc.ClientUnaryCall;
  issueApiToken(argument: _fasit_management_v1_IssueApiTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_IssueApiTokenResponse__Output>): grpc.ClientUnaryCall;
  issueApiToken(argument: _fasit_management_v1_IssueApiTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_IssueApiTokenResponse__Output>): grpc.ClientUnaryCall;
  issueApiToken(argument: _fasit_management_v1_IssueApiTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_IssueApiTokenResponse__Output>): grpc.ClientUnaryCall;
  issueApiToken(argument: _fasit_management_v1_IssueApiTokenRequest, callback: grpc.requestCallback<_fasit_management_v1_IssueApiTokenResponse__Output>): grpc.ClientUnaryCall;
  
  ListApiTokens(argument: _fasit_management_v1_ListApiTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListApiTokensResponse__Output>): grpc.ClientUnaryCall;
  ListApiTokens(argument: _fasit_management_v1_ListApiTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_ListApiTokensResponse__Output>): grpc.ClientUnaryCall;
  ListApiTokens(argument: _fasit_management_v1_ListApiTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListApiTokensResponse__Output>): grpc.ClientUnaryCall;
  ListApiTokens(argument: _fasit_management_v1_ListApiTokensRequest, callback: grpc.requestCallback<_fasit_management_v1_ListApiTokensResponse__Output>): grpc.ClientUnaryCall;
  listApiTokens(argument: _fasit_management_v1_ListApiTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListApiTokensResponse__Output>): grpc.ClientUnaryCall;
  listApiTokens(argument: _fasit_management_v1_ListApiTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_ListApiTokensResponse__Output>): grpc.ClientUnaryCall;
  listApiTokens(argument: _fasit_management_v1_ListApiTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListApiTokensResponse__Output>): grpc.ClientUnaryCall;
  listApiTokens(argument: _fasit_management_v1_ListApiTokensRequest, callback: grpc.requestCallback<_fasit_management_v1_ListApiTokensResponse__Output>): grpc.ClientUnaryCall;
  
  ListEnvironmentValues(argument: _fasit_management_v1_ListEnvironmentValuesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListEnvironmentValuesResponse__Output>): grpc.ClientUnaryCall;
  ListEnvironmentValues(argument: _fasit_management_v1_ListEnvironmentValuesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_ListEnvironmentValuesResponse__Output>): grpc.ClientUnaryCall;
  ListEnvironmentValues(argument: _fasit_management_v1_ListEnvironmentValuesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListEnvironmentValuesResponse__Output>): grpc.ClientUnaryCall;
  ListEnvironmentValues(argument: _fasit_management_v1_ListEnvironmentValuesRequest, callback: grpc.requestCallback<_fasit_management_v1_ListEnvironmentValuesResponse__Output>): grpc.ClientUnaryCall;
  listEnvironmentValues(argument: _fasit_management_v1_ListEnvironmentValuesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListEnvironmentValuesResponse__Output>): grpc.ClientUnaryCall;
  listEnvironmentValues(argument: _fasit_management_v1_ListEnvironmentValuesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_ListEnvironmentValuesResponse__Output>): grpc.ClientUnaryCall;
  listEnvironmentValues(argument: _fasit_management_v1_ListEnvironmentValuesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListEnvironmentValuesResponse__Output>): grpc.ClientUnaryCall;
  listEnvironmentValues(argument: _fasit_management_v1_ListEnvironmentValuesRequest, callback: grpc.requestCallback<_fasit_management_v1_ListEnvironmentValuesResponse__Output>): grpc.ClientUnaryCall;
  
  ListRoleBindings(argument: _fasit_management_v1_ListRoleBindingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListRoleBindingsResponse__Output>): grpc.ClientUnaryCall;
  ListRoleBindings(argument: _fasit_management_v1_ListRoleBindingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_ListRoleBindingsResponse__Output>): grpc.ClientUnaryCall;
  ListRoleBindings(argument: _fasit_management_v1_ListRoleBindingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListRoleBindingsResponse__Output>): grpc.ClientUnaryCall;
  ListRoleBindings(argument: _fasit_management_v1_ListRoleBindingsRequest, callback: grpc.requestCallback<_fasit_management_v1_ListRoleBindingsResponse__Output>): grpc.ClientUnaryCall;
  listRoleBindings(argument: _fasit_management_v1_ListRoleBindingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListRoleBindingsResponse__Output>): grpc.ClientUnaryCall;
  listRoleBindings(argument: _fasit_management_v1_ListRoleBindingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_ListRoleBindingsResponse__Output>): grpc.ClientUnaryCall;
  listRoleBindings(argument: _fasit_management_v1_ListRoleBindingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_ListRoleBindingsResponse__Output>): grpc.ClientUnaryCall;
  listRoleBindings(argument: _fasit_management_v1_ListRoleBindingsRequest, callback: grpc.requestCallback<_fasit_management_v1_ListRoleBindingsResponse__Output>): grpc.ClientUnaryCall;
  
  RevokeApiToken(argument: _fasit_management_v1_RevokeApiTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_RevokeApiTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiToken(argument: _fasit_management_v1_RevokeApiTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_RevokeApiTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiToken(argument: _fasit_management_v1_RevokeApiTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_RevokeApiTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiToken(argument: _fasit_management_v1_RevokeApiTokenRequest, callback: grpc.requestCallback<_fasit_management_v1_RevokeApiTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeApiToken(argument: _fasit_management_v1_RevokeApiTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_RevokeApiTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeApiToken(argument: _fasit_management_v1_RevokeApiTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_RevokeApiTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeApiToken(argument: _fasit_management_v1_RevokeApiTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_RevokeApiTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeApiToken(argument: _fasit_management_v1_RevokeApiTokenRequest, callback: grpc.requestCallback<_fasit_management_v1_RevokeApiTokenResponse__Output>): grpc.ClientUnaryCall;
  
  SetEnvironmentValue(argument: _fasit_management_v1_SetEnvironmentValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_SetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  SetEnvironmentValue(argument: _fasit_management_v1_SetEnvironmentValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_SetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  SetEnvironmentValue(argument: _fasit_management_v1_SetEnvironmentValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_SetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  SetEnvironmentValue(argument: _fasit_management_v1_SetEnvironmentValueRequest, callback: grpc.requestCallback<_fasit_management_v1_SetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  setEnvironmentValue(argument: _fasit_management_v1_SetEnvironmentValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_SetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  setEnvironmentValue(argument: _fasit_management_v1_SetEnvironmentValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_SetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  setEnvironmentValue(argument: _fasit_management_v1_SetEnvironmentValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_SetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  setEnvironmentValue(argument: _fasit_management_v1_SetEnvironmentValueRequest, callback: grpc.requestCallback<_fasit_management_v1_SetEnvironmentValueResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateEnvironment(argument: _fasit_management_v1_UpdateEnvironmentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_UpdateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  UpdateEnvironment(argument: _fasit_management_v1_UpdateEnvironmentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_UpdateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  UpdateEnvironment(argument: _fasit_management_v1_UpdateEnvironmentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_UpdateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  UpdateEnvironment(argument: _fasit_management_v1_UpdateEnvironmentRequest, callback: grpc.requestCallback<_fasit_management_v1_UpdateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  updateEnvironment(argument: _fasit_management_v1_UpdateEnvironmentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_UpdateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  updateEnvironment(argument: _fasit_management_v1_UpdateEnvironmentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fasit_management_v1_UpdateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  updateEnvironment(argument: _fasit_management_v1_UpdateEnvironmentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fasit_management_v1_UpdateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  updateEnvironment(argument: _fasit_management_v1_UpdateEnvironmentRequest, callback: grpc.requestCallback<_fasit_management_v1_UpdateEnvironmentResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface FasitHandlers extends grpc.UntypedServiceImplementation {
  CreateEnvironment: grpc.handleUnaryCall<_fasit_management_v1_CreateEnvironmentRequest__Output, _fasit_management_v1_CreateEnvironmentResponse>;
  
  CreateRoleBinding: grpc.handleUnaryCall<_fasit_management_v1_CreateRoleBindingRequest__Output, _fasit_management_v1_CreateRoleBindingResponse>;
  
  CreateTenant: grpc.handleUnaryCall<_fasit_management_v1_CreateTenantRequest__Output, _fasit_management_v1_CreateTenantResponse>;
  
  DeleteEnvironmentValue: grpc.handleUnaryCall<_fasit_management_v1_DeleteEnvironmentValueRequest__Output, _fasit_management_v1_DeleteEnvironmentValueResponse>;
  
  DeleteRoleBinding: grpc.handleUnaryCall<_fasit_management_v1_DeleteRoleBindingRequest__Output, _fasit_management_v1_DeleteRoleBindingResponse>;
  
  GetEnvironment: grpc.handleUnaryCall<_fasit_management_v1_GetEnvironmentRequest__Output, _fasit_management_v1_GetEnvironmentResponse>;
  
  GetEnvironmentValue: grpc.handleUnaryCall<_fasit_management_v1_GetEnvironmentValueRequest__Output, _fasit_management_v1_GetEnvironmentValueResponse>;
  
  GetTenant: grpc.handleUnaryCall<_fasit_management_v1_GetTenantRequest__Output, _fasit_management_v1_GetTenantResponse>;
  
  IssueApiToken: grpc.handleUnaryCall<_fasit_management_v1_IssueApiTokenRequest__Output, _fasit_management_v1_IssueApiTokenResponse>;
  
  ListApiTokens: grpc.handleUnaryCall<_fasit_management_v1_ListApiTokensRequest__Output, _fasit_management_v1_ListApiTokensResponse>;
  
  ListEnvironmentValues: grpc.handleUnaryCall<_fasit_management_v1_ListEnvironmentValuesRequest__Output, _fasit_management_v1_ListEnvironmentValuesResponse>;
  
  ListRoleBindings: grpc.handleUnaryCall<_fasit_management_v1_ListRoleBindingsRequest__Output, _fasit_management_v1_ListRoleBindingsResponse>;
  
  RevokeApiToken: grpc.handleUnaryCall<_fasit_management_v1_RevokeApiTokenRequest__Output, _fasit_management_v1_RevokeApiTokenResponse>;
  
  SetEnvironmentValue: grpc.handleUnaryCall<_fasit_management_v1_SetEnvironmentValueRequest__Output, _fasit_management_v1_SetEnvironmentValueResponse>;
  
  UpdateEnvironment: grpc.handleUnaryCall<_fasit_management_v1_UpdateEnvironmentRequest__Output, _fasit_management_v1_UpdateEnvironmentResponse>;
  
}

export interface FasitDefinition extends grpc.ServiceDefinition {
  CreateEnvironment: MethodDefinition<_fasit_management_v1_CreateEnvironmentRequest, _fasit_management_v1_CreateEnvironmentResponse, _fasit_management_v1_CreateEnvironmentRequest__Output, _fasit_management_v1_CreateEnvironmentResponse__Output>
  CreateRoleBinding: MethodDefinition<_fasit_management_v1_CreateRoleBindingRequest, _fasit_management_v1_CreateRoleBindingResponse, _fasit_management_v1_CreateRoleBindingRequest__Output, _fasit_management_v1_CreateRoleBindingResponse__Output>
  CreateTenant: MethodDefinition<_fasit_management_v1_CreateTenantRequest, _fasit_management_v1_CreateTenantResponse, _fasit_management_v1_CreateTenantRequest__Output, _fasit_management_v1_CreateTenantResponse__Output>
  DeleteEnvironmentValue: MethodDefinition<_fasit_management_v1_DeleteEnvironmentValueRequest, _fasit_management_v1_DeleteEnvironmentValueResponse, _fasit_management_v1_DeleteEnvironmentValueRequest__Output, _fasit_management_v1_DeleteEnvironmentValueResponse__Output>
  DeleteRoleBinding: MethodDefinition<_fasit_management_v1_DeleteRoleBindingRequest, _fasit_management_v1_DeleteRoleBindingResponse, _fasit_management_v1_DeleteRoleBindingRequest__Output, _fasit_management_v1_DeleteRoleBindingResponse__Output>
  GetEnvironment: MethodDefinition<_fasit_management_v1_GetEnvironmentRequest, _fasit_management_v1_GetEnvironmentResponse, _fasit_management_v1_GetEnvironmentRequest__Output, _fasit_management_v1_GetEnvironmentResponse__Output>
  GetEnvironmentValue: MethodDefinition<_fasit_management_v1_GetEnvironmentValueRequest, _fasit_management_v1_GetEnvironmentValueResponse, _fasit_management_v1_GetEnvironmentValueRequest__Output, _fasit_management_v1_GetEnvironmentValueResponse__Output>
  GetTenant: MethodDefinition<_fasit_management_v1_GetTenantRequest, _fasit_management_v1_GetTenantResponse, _fasit_management_v1_GetTenantRequest__Output, _fasit_management_v1_GetTenantResponse__Output>
  IssueApiToken: MethodDefinition<_fasit_management_v1_IssueApiTokenRequest, _fasit_management_v1_IssueApiTokenResponse, _fasit_management_v1_IssueApiTokenRequest__Output, _fasit_management_v1_IssueApiTokenResponse__Output>
  ListApiTokens: MethodDefinition<_fasit_management_v1_ListApiTokensRequest, _fasit_management_v1_ListApiTokensResponse, _fasit_management_v1_ListApiTokensRequest__Output, _fasit_management_v1_ListApiTokensResponse__Output>
  ListEnvironmentValues: MethodDefinition<_fasit_management_v1_ListEnvironmentValuesRequest, _fasit_management_v1_ListEnvironmentValuesResponse, _fasit_management_v1_ListEnvironmentValuesRequest__Output, _fasit_management_v1_ListEnvironmentValuesResponse__Output>
  ListRoleBindings: MethodDefinition<_fasit_management_v1_ListRoleBindingsRequest, _fasit_management_v1_ListRoleBindingsResponse, _fasit_management_v1_ListRoleBindingsRequest__Output, _fasit_management_v1_ListRoleBindingsResponse__Output>
  RevokeApiToken: MethodDefinition<_fasit_management_v1_RevokeApiTokenRequest, _fasit_management_v1_RevokeApiTokenResponse, _fasit_management_v1_RevokeApiTokenRequest__Output, _fasit_management_v1_RevokeApiTokenResponse__Output>
  SetEnvironmentValue: MethodDefinition<_fasit_management_v1_SetEnvironmentValueRequest, _fasit_management_v1_SetEnvironmentValueResponse, _fasit_management_v1_SetEnvironmentValueRequest__Output, _fasit_management_v1_SetEnvironmentValueResponse__Output>
  UpdateEnvironment: MethodDefinition<_fasit_management_v1_UpdateEnvironmentRequest, _fasit_management_v1_UpdateEnvironmentResponse, _fasit_management_v1_UpdateEnvironmentRequest__Output, _fasit_management_v1_UpdateEnvironmentResponse__Output>
}
