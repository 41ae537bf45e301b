import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { GithubController } from './github.controller.js';

/** The original's `/github/assignment` for GitHub Actions. */
@Module({
  imports: [AssignmentsModule, AuthModule],
  controllers: [GithubController],
})
export class GithubModule {}
