import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { validateInput } from '../common/validation.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { TemplateTestService, type FunctionDoc, type TemplateTestAnswer } from './template-test.service.js';
import { templateTestSchema } from './template-test.schemas.js';

@Controller('api/v1/templates')
export class TemplateTestController {
  constructor(
    private readonly templates: TemplateTestService,
    private readonly environments: EnvironmentService,
  ) {}

  /** Renders a template with an environment's data (secrets masked): the output, or the error with its line and column. */
  @Post('test')
  @HttpCode(200)
  @Allow(policies.templateTest)
  async test(@Body() body: unknown): Promise<TemplateTestAnswer> {
    const input = validateInput(templateTestSchema, body);
    return this.templates.test(await this.environments.get(input.tenant, input.environment), input.template, input.feature);
  }

  /** Every template function with its Go signature, a description and an example with its output. */
  @Get('functions')
  @Allow(policies.anyViewer)
  functions(): FunctionDoc[] {
    return this.templates.functions();
  }
}
