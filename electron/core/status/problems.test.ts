import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Problems } from './problems';

test('a reported problem is said and pushed; a cleared one goes only if it is the one shown; a good cycle clears all', () => {
  const said: string[] = [];
  let pushes = 0;
  const problems = new Problems({ say: (m) => said.push(m), pushStatus: () => pushes++ });
  problems.report('The data folder is missing');
  assert.equal(problems.current, 'The data folder is missing');
  assert.deepEqual(said, ['The data folder is missing']);
  assert.equal(pushes, 1);
  problems.clear('Some other problem');
  assert.equal(problems.current, 'The data folder is missing', 'another problem clearing leaves this one');
  problems.clear('The data folder is missing');
  assert.equal(problems.current, null);
  problems.note('settings.json could not be read');
  assert.equal(pushes, 1, 'a noted problem waits for the next push');
  problems.clearAll();
  assert.equal(problems.current, null);
});
