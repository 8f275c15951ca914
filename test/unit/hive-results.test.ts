// Hive CLI output (-S) split into result sets at marker rows: what the SQL integration test compares with a REST scan.
import { describe, expect, it } from '@jest/globals';
import { resultSets } from '../sql/hive.ts';

describe('resultSets', () => {
  it('keeps the rows after each marker as their tab-separated fields, NULL as Hive prints it', () => {
    const stdout = ['@@:select', 'k1\t7\tNULL\t12.5', 'k2\t8\tÑandú\t1.0E21', '', '@@:count', '2', ''].join('\n');
    expect(resultSets(stdout, '@@')).toEqual(
      new Map([
        [
          'select',
          [
            ['k1', '7', 'NULL', '12.5'],
            ['k2', '8', 'Ñandú', '1.0E21'],
          ],
        ],
        ['count', [['2']]],
      ]),
    );
  });

  it('ignores what comes before the first marker and gives an empty set to a marker with no rows', () => {
    expect(resultSets('noise\n@@:empty\n', '@@')).toEqual(new Map([['empty', []]]));
  });
});
