/**
 * Field names whose values are secrets wherever they appear: the log blanks them, and an AppError's `detail`
 * refuses them (its facts are shown, logged and exported). Isomorphic, so the contract and the log share one list.
 */
export const secretKey =
  /pass(word|phrase|wd)?\d*$|pwd?\d*$|secret|token|api[-_]?key|authori[sz]ation|private[-_]?key|(data|session|master|signing|encryption)[-_]?key$|credential|assertion|cookie|^key$/i;
