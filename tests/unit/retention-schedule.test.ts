import { expect, test } from 'vitest'
import { RetentionSchedule } from '../../runtime/retention-schedule.ts'

/** A schedule on a fake clock whose checks take `checkMs` each; returns which file ends ran the check. */
async function checkedFiles(files: { ms: number; mustCheck?: boolean }[], checkMs: number): Promise<boolean[]> {
  let now = 0
  const schedule = new RetentionSchedule(() => now)
  const ran: boolean[] = []
  for (const file of files) {
    schedule.fileStarted()
    now += file.ms
    ran.push(await schedule.fileEnded(async () => void (now += checkMs), file.mustCheck ?? false))
  }
  return ran
}

test('checks at every file end while the checks stay within a tenth of the time', async () => {
  expect(await checkedFiles(Array.from({ length: 5 }, () => ({ ms: 100 })), 5)).toStrictEqual([true, true, true, true, true])
})

test('skips file ends while the checks took more than a tenth of the time, then checks again', async () => {
  // Each check costs 30 ms against 100 ms of tests per file: 30 ms spent of 230 is over a tenth, 30 of 330 is not; then
  // 60 of 460 and of 560 are over, 60 of 660 is not.
  expect(await checkedFiles(Array.from({ length: 6 }, () => ({ ms: 100 })), 30)).toStrictEqual([
    true,
    false,
    true,
    false,
    false,
    true,
  ])
})

test('a file that must be checked (the batch’s last, or leaks: error) is checked over budget', async () => {
  const ran = await checkedFiles([{ ms: 100 }, { ms: 100 }, { ms: 100, mustCheck: true }], 50)
  expect(ran).toStrictEqual([true, false, true])
})
