import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EnvironmentValuesModule } from '../environment-values/environment-values.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AccessApi } from './access.api.js';
import { GrpcHandlers } from './grpc.server.js';
import { ManagementApi } from './management.api.js';

/** The gRPC management API: its handlers over the same services, authentication and policies as REST. The server is started by bootstrap.ts. */
@Module({
  imports: [AuthModule, EnvironmentsModule, EnvironmentValuesModule, TenantsModule],
  providers: [ManagementApi, AccessApi, GrpcHandlers],
  exports: [GrpcHandlers],
})
export class GrpcModule {}
