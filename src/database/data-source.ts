import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/**
 * For the TypeORM CLI only (`npx typeorm-ts-node-commonjs migration:create` and friends);
 * the service itself migrates through runMigrations() under an advisory lock.
 */
const config = loadConfig(process.env);
export default new DataSource(dataSourceOptions(config.DATABASE_URL ?? '', { ...config, DB_POOL_MAX: 2 }));
