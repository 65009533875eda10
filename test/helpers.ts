/** Assertions shared by the test suites. */
import { UserError } from '../src/errors.js';
import { type Column, findColumn, type Table, valueAt } from '../src/data/table.js';

/** Asserts that `run` throws a UserError whose message matches `message`. */
export function expectUserError(run: () => unknown, message: string | RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UserError);
  expect((thrown as Error).message).toMatch(message);
}

/** Asserts that `run` rejects with a UserError whose message matches `message`. */
export async function expectUserErrorAsync(run: () => Promise<unknown>, message: string | RegExp): Promise<void> {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UserError);
  expect((thrown as Error).message).toMatch(message);
}

/** The column `name` of `table`; fails the test when it is missing. */
export function columnOf(table: Table, name: string): Column {
  const c = findColumn(table, name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c;
}

/** The values of column `name` as plain JS values (null for nulls). */
export function valuesOf(table: Table, name: string): unknown[] {
  const c = columnOf(table, name);
  return Array.from({ length: table.rowCount }, (_, i) => valueAt(c, i));
}
