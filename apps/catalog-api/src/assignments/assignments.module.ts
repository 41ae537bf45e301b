import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { FeaturesModule } from '../features/features.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AssignmentPreviewService } from './assignment-preview.service.js';
import { AssignmentStatusService } from './assignment-status.service.js';
import { AssignmentController } from './assignment.controller.js';
import { AssignmentService } from './assignment.service.js';

@Module({
  imports: [AuthModule, EnvironmentsModule, FeaturesModule, TemplatesModule, TenantsModule],
  controllers: [AssignmentController],
  providers: [AssignmentService, AssignmentStatusService, AssignmentPreviewService],
  exports: [AssignmentService, AssignmentStatusService],
})
export class AssignmentsModule {}
