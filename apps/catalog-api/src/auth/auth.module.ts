import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AccessController } from './access.controller.js';
import { AccessService } from './access.service.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { AuthService } from './auth.service.js';
import { Authorizer } from './authorizer.js';
import { PolicyGuard } from './policy.guard.js';
import { RoleBindingRepository } from './role-binding.repository.js';

/** Access: who the caller is (AuthService), what it may do (Authorizer, the one guard on every route), API tokens and role bindings (AccessService). */
@Module({
  imports: [EnvironmentsModule, TenantsModule],
  controllers: [AccessController],
  providers: [AuthService, Authorizer, AccessService, ApiTokenRepository, RoleBindingRepository, { provide: APP_GUARD, useClass: PolicyGuard }],
  exports: [AuthService, Authorizer, AccessService],
})
export class AuthModule {}
