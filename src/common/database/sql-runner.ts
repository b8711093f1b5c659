import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Global, Injectable, Module } from '@nestjs/common';
import type { SqlParams } from './sql';

/**
 * How repositories run their SQL: in the unit of work's transaction when one is open
 * (`@Transactional()`), on a pooled connection otherwise.
 */
@Injectable()
export class SqlRunner {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The rows of a SELECT, or of an INSERT … RETURNING. */
  rows<T>(sql: string, params: SqlParams): Promise<T[]> {
    return this.txHost.tx.query(sql, params.values) as Promise<T[]>;
  }

  /** An UPDATE or DELETE: its RETURNING rows, and how many rows it changed. */
  async change<T = never>(sql: string, params: SqlParams): Promise<{ rows: T[]; count: number }> {
    // TypeORM answers UPDATE and DELETE with [rows, affected] (other statements with rows).
    const [rows, count] = (await this.txHost.tx.query(sql, params.values)) as [T[], number];
    return { rows, count };
  }
}

@Global()
@Module({ providers: [SqlRunner], exports: [SqlRunner] })
export class SqlModule {}
