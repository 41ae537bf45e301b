import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { labelsSchema } from '../environments/environment.controller.js';
import { AssignmentService, toAssignmentView, type AssignmentView, type CreateAssignmentInput } from './assignment.service.js';
import { AssignmentStatusService, type AssignmentStatus } from './assignment-status.service.js';

export const createAssignmentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'target'],
  properties: {
    chart: { type: 'string', minLength: 1, maxLength: 500 },
    feature: { type: 'string', minLength: 1, maxLength: 63 },
    version: { type: 'string', minLength: 1, maxLength: 128 },
    target: labelsSchema,
    description: { type: 'string', maxLength: 1000 },
    sourceRef: {
      type: 'object',
      additionalProperties: false,
      properties: { owner: { type: 'string', maxLength: 200 }, repo: { type: 'string', maxLength: 200 }, ref: { type: 'string', maxLength: 500 } },
    },
  },
};

@Controller('api/v1/assignments')
export class AssignmentController {
  constructor(
    private readonly assignments: AssignmentService,
    private readonly statuses: AssignmentStatusService,
  ) {}

  @Post()
  @HttpCode(201)
  create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<AssignmentView> {
    return this.assignments.create(actor, validateInput<CreateAssignmentInput>(createAssignmentSchema, body));
  }

  @Get()
  list(@Query('feature') feature?: string, @Query('active') active?: string): Promise<AssignmentView[]> {
    return this.assignments.list({ ...(feature ? { feature } : {}), ...(active !== undefined ? { active: active === 'true' } : {}) });
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<AssignmentView> {
    return toAssignmentView(await this.assignments.get(id));
  }

  @Get(':id/status')
  async status(@Param('id') id: string): Promise<AssignmentStatus> {
    return this.statuses.status(await this.assignments.get(id));
  }

  @Post(':id/deactivate')
  deactivate(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AssignmentView> {
    return this.assignments.deactivate(actor, id);
  }
}
