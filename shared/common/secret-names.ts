/**
 * Field names whose values are secrets wherever they appear: the log blanks them, and an AppError's `detail`
 * refuses them (its facts are shown, logged and exported). Isomorphic, so the contract and the log share one list.
 */
export const secretKey =
  /pass(word|phrase|wd)?$|pwd?$|secret|token|api[-_]?key|authori[sz]ation|private[-_]?key|credential|assertion|cookie|^key$/i;
