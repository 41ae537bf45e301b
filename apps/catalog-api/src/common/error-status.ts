// The one table from a DomainError's code to what each transport answers: the HTTP status of the problem JSON
// (common/problem.filter.ts) and the gRPC status code (grpc/grpc.server.ts). A new code that is missing here does
// not compile.
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ErrorCode } from '@fasit/domain';

export const ERROR_STATUS: Record<ErrorCode, { http: number; grpc: GrpcStatus }> = {
  INVALID_INPUT: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  INVALID_FEATURE: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: GrpcStatus.INVALID_ARGUMENT },
  UNAUTHENTICATED: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  FORBIDDEN: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  ALREADY_EXISTS: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  CONFLICT: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  UPSTREAM_ERROR: { http: 502, grpc: GrpcStatus.UNAVAILABLE },
  UPSTREAM_UNAVAILABLE: { http: 502, grpc: GrpcStatus.UNAVAILABLE },
  INTERNAL: { http: 500, grpc: GrpcStatus.INTERNAL },
};
