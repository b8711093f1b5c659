import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuthGuard } from './auth.guard';
import { JwtVerifier } from './jwt-verifier';
import { RequestAuthenticator } from './request-authenticator';

@Global()
@Module({
  providers: [
    { provide: JwtVerifier, inject: [APP_CONFIG], useFactory: (config: AppConfig) => JwtVerifier.fromConfig(config) },
    RequestAuthenticator,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [JwtVerifier, RequestAuthenticator],
})
export class AuthModule {}
