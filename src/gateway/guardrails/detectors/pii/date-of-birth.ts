import { defineDetector } from "../define-detector";
import { findDates } from "./dates";

/**
 * Dates of birth: a valid past date shortly after a birth word ("DOB:", "born on",
 * "date of birth", "birthday is", "(b. 1961-04-17)"), in the same clause. A bare date is not a DOB and is not reported. Only the first
 * date after the word counts ("DOB 1985-03-12, issued 2020-01-01" reports one date).
 */

const BIRTH_WORDS =
  /(?:\bd\.?o\.?b\b\.?|date of birth|birth ?date|birthday|\bborn\b|\(b\.|geburtsdatum|\bgeboren\b|date de naissance|\bn[ée]e? le\b|fecha de nacimiento)/gi;
/** A clause ends between the word and the date: "DOB unknown; admitted 2023-02-11". */
const CLAUSE_BREAK = /[;!?]|\.\s/;
/** How far after the birth word the date may start. */
const WINDOW = 24;
/** Longest date the formats allow ("12th of September, 1985"), so a window never cuts one. */
const LONGEST_DATE = 28;

export const dateOfBirthDetector = defineDetector("pii.date_of_birth", "pii", (text, emit) => {
  const thisYear = new Date().getUTCFullYear();
  let lastEmitted = -1;
  BIRTH_WORDS.lastIndex = 0;
  for (let w = BIRTH_WORDS.exec(text); w !== null; w = BIRTH_WORDS.exec(text)) {
    const from = w.index + w[0].length;
    const date = findDates(text.slice(from, from + WINDOW + LONGEST_DATE))[0];
    if (!date || date.start > WINDOW) continue;
    if (CLAUSE_BREAK.test(text.slice(from, from + date.start))) continue;
    const start = from + date.start;
    if (start <= lastEmitted) continue;
    if (date.year > thisYear || date.year < thisYear - 125) continue;
    lastEmitted = start;
    // Right after the word ("DOB: …", "born on …") versus later in the same clause.
    emit("DATE_OF_BIRTH", start, from + date.end, date.start <= 14 ? 0.92 : 0.75);
  }
});
