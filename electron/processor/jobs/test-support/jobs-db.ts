// Test support: a real SQLite file with the app's migrations and the job tables, as the
// processor will open it once JOBS_SCHEMA is in the migrations list.
import { openWriteDatabase } from '../../store/database';
import { JOBS_SCHEMA } from '../schema';

export function createJobsDatabase(file: string): void {
  const db = openWriteDatabase(file);
  db.exec(JOBS_SCHEMA);
  db.close();
}
