import { Module } from '@nestjs/common';
import { SealedSecretRepository } from './sealed-secret.repository.js';
import { SecretRotationService } from './secret-rotation.service.js';
import { SecretController } from './secret.controller.js';

/** Key rotation. The SecretBox itself is infrastructure (CoreModule): values, configuration and explain open secrets too. */
@Module({
  controllers: [SecretController],
  providers: [SecretRotationService, SealedSecretRepository],
})
export class SecretsModule {}
