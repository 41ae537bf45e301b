// The gRPC management API for Terraform (proto/fasit/management/v1/management.proto): the same services, tokens,
// policies (`GRPC_POLICIES`; API tokens and role bindings use the REST routes' own policies), checked by the same
// CallGate as every REST route (authentication, text checks, the Authorizer), and audit as the REST API; DomainErrors
// become the gRPC status codes of the table REST's problem JSON uses (common/error-status.ts). Each call is
// a server span (`fasit.management.v1.Fasit/<Method>`, with its status code), continuing a caller's `traceparent`.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { Injectable } from '@nestjs/common';
import type { ContextLogger } from '@fasit/config';
import { DomainError } from '@fasit/domain';
import { grpcServerSpan } from '@fasit/tracing';
import { AuthService } from '../auth/auth.service.js';
import { Authorizer } from '../auth/authorizer.js';
import { CallGate } from '../auth/call-gate.js';
import { policies, type Policy } from '../auth/policy.js';
import type { Actor } from '../common/actor.js';
import { ERROR_STATUS } from '../common/error-status.js';
import type { FasitHandlers } from './generated/fasit/management/v1/Fasit.js';
import type { ProtoGrpcType } from './generated/management.js';
import { AccessApi } from './access.api.js';
import { ManagementApi } from './management.api.js';

export const MANAGEMENT_PROTO = fileURLToPath(new URL('../../../../proto/fasit/management/v1/management.proto', import.meta.url));
/** Must match the options in scripts/gen-proto.sh. */
export const PROTO_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

export interface GrpcServer {
  address: string;
  close(): Promise<void>;
}

export function loadManagementProto(): ProtoGrpcType {
  return grpc.loadPackageDefinition(protoLoader.loadSync(MANAGEMENT_PROTO, PROTO_OPTIONS)) as unknown as ProtoGrpcType;
}

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/** The service's full name in the proto: the spans' `rpc.service`. */
export const GRPC_SERVICE = 'fasit.management.v1.Fasit';

/** Every method's policy. The handler table names its methods from these keys: a handler without a policy does not compile. */
export const GRPC_POLICIES = {
  CreateTenant: policies.globalAdmin,
  GetTenant: policies.grpcTenantByName,
  CreateEnvironment: policies.grpcTenantAdmin,
  GetEnvironment: policies.grpcTenantViewer,
  UpdateEnvironment: policies.grpcEnvironmentOperator,
  SetEnvironmentValue: policies.grpcEnvironmentOperator,
  GetEnvironmentValue: policies.grpcEnvironmentViewer,
  ListEnvironmentValues: policies.anyViewer,
  DeleteEnvironmentValue: policies.grpcEnvironmentOperator,
  // The REST routes' policies: the message's `tenant` (absent: global) and `id` are where those read the body's and the path's.
  IssueApiToken: policies.grantAdmin,
  ListApiTokens: policies.anyAdmin,
  RevokeApiToken: policies.tokenAdmin,
  CreateRoleBinding: policies.grantAdmin,
  ListRoleBindings: policies.anyAdmin,
  DeleteRoleBinding: policies.bindingAdmin,
} as const satisfies Record<string, Policy>;
export type GrpcMethod = keyof typeof GRPC_POLICIES;

/** What the gRPC server calls: the management and access APIs behind the CallGate every REST route passes too (GrpcModule). */
@Injectable()
export class GrpcHandlers {
  readonly gate: CallGate;
  constructor(
    readonly auth: AuthService,
    authorizer: Authorizer,
    readonly api: ManagementApi,
    readonly access: AccessApi,
  ) {
    this.gate = new CallGate(auth, authorizer);
  }
}

export async function startGrpcServer({ auth, gate, api, access }: GrpcHandlers, host: string, port: number, logger: ContextLogger): Promise<GrpcServer> {
  const unary =
    <Req, Res>(name: GrpcMethod, fn: (actor: Actor, req: Req) => Promise<Res>): Unary<Req, Res> =>
    (call, callback) => {
      const span = grpcServerSpan('catalog-api', GRPC_SERVICE, name, call.metadata);
      void span.run(async () => {
        try {
          const header = call.metadata.get('authorization')[0];
          const request = call.request as Record<string, unknown>;
          const { actor } = await gate.admit(GRPC_POLICIES[name], {
            authorization: typeof header === 'string' ? header : undefined,
            fields: request,
            body: request,
          });
          if (!actor) throw new DomainError('INTERNAL', `the policy of ${name} is public: gRPC methods are never public`);
          const response = await fn(auth.devMode ? { ...actor, name: 'system:provider' } : actor, call.request);
          span.end(grpc.status.OK);
          callback(null, response);
        } catch (e) {
          if (e instanceof DomainError) {
            const code = ERROR_STATUS[e.code].grpc;
            span.end(code);
            // The field leads the details (once: most messages already begin with it).
            callback({ code, details: e.field && !e.message.startsWith(`${e.field}:`) ? `${e.field}: ${e.message}` : e.message });
          } else {
            span.end(grpc.status.INTERNAL);
            logger.error('gRPC call failed', { rpc: name, error: (e as Error).stack ?? String(e) });
            callback({ code: grpc.status.INTERNAL, details: 'internal error' });
          }
        }
      });
    };

  const handlers: FasitHandlers = {
    CreateTenant: unary('CreateTenant', (a, r) => api.createTenant(a, r)),
    GetTenant: unary('GetTenant', (_, r) => api.getTenant(r)),
    CreateEnvironment: unary('CreateEnvironment', (a, r) => api.createEnvironment(a, r)),
    GetEnvironment: unary('GetEnvironment', (_, r) => api.getEnvironment(r)),
    UpdateEnvironment: unary('UpdateEnvironment', (a, r) => api.updateEnvironment(a, r)),
    SetEnvironmentValue: unary('SetEnvironmentValue', (a, r) => api.setEnvironmentValue(a, r)),
    GetEnvironmentValue: unary('GetEnvironmentValue', (a, r) => api.getEnvironmentValue(a, r)),
    ListEnvironmentValues: unary('ListEnvironmentValues', (a, r) => api.listEnvironmentValues(a, r)),
    DeleteEnvironmentValue: unary('DeleteEnvironmentValue', (a, r) => api.deleteEnvironmentValue(a, r)),
    IssueApiToken: unary('IssueApiToken', (a, r) => access.issueApiToken(a, r)),
    ListApiTokens: unary('ListApiTokens', (a) => access.listApiTokens(a)),
    RevokeApiToken: unary('RevokeApiToken', (a, r) => access.revokeApiToken(a, r)),
    CreateRoleBinding: unary('CreateRoleBinding', (a, r) => access.createRoleBinding(a, r)),
    ListRoleBindings: unary('ListRoleBindings', (a) => access.listRoleBindings(a)),
    DeleteRoleBinding: unary('DeleteRoleBinding', (a, r) => access.deleteRoleBinding(a, r)),
  };

  const server = new grpc.Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  server.addService(loadManagementProto().fasit.management.v1.Fasit.service, handlers);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const address = `${host.includes(':') ? `[${host}]` : host}:${bound}`;
  logger.info(`gRPC management API listening on ${address}`, { address });
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
