/**
 * The built-in English list: profanity, insults and slurs with a severity (1 mild, 2 strong,
 * 3 severe). Small on purpose — a guardrail that fires on everyday words is switched off — and
 * matched only as whole words, so "class", "assistant", "Scunthorpe", "cocktail" and "Dickens"
 * never match. Words that are also ordinary English or names ("dick", "cock", "hell", "ass",
 * "fag") are marked ambiguous and score lower.
 */

export type ToxicLabel = "PROFANITY" | "INSULT" | "SLUR";

export interface ToxicWord {
  label: ToxicLabel;
  severity: 1 | 2 | 3;
  ambiguous?: boolean;
}

const entries: [ToxicLabel, 1 | 2 | 3, boolean, string][] = [
  ["PROFANITY", 3, false, "fuck fucks fucked fucker fuckers fucking fuckin fuckhead fuckface fuckwit fuckup fuckups motherfucker motherfuckers motherfucking fuckoff clusterfuck"],
  ["PROFANITY", 3, false, "cunt cunts"],
  // Spellings that dodge filters on purpose.
  ["PROFANITY", 3, false, "fck fcking fcker fuk fuking fukin phuck phucking"],
  ["PROFANITY", 1, false, "wtf stfu gtfo"],
  ["PROFANITY", 2, false, "shit shits shitty shitting shithead shitheads shithole shitshow shitstorm bullshit horseshit dipshit shite"],
  ["PROFANITY", 2, false, "asshole assholes arsehole arseholes dumbass jackass smartass"],
  ["PROFANITY", 2, false, "bitch bitches bitchy bitching sonofabitch"],
  ["PROFANITY", 2, false, "bastard bastards wanker wankers twat twats prick pricks douchebag douche"],
  ["PROFANITY", 2, false, "pussy"],
  ["PROFANITY", 2, true, "dick dicks dickhead cock cocks cocksucker"],
  ["PROFANITY", 1, true, "ass arse damn damned goddamn goddammit hell crap crappy bloody bugger piss pissed"],
  ["INSULT", 1, false, "idiot idiots idiotic moron morons moronic imbecile imbeciles dumbfuck numbnuts"],
  ["INSULT", 2, false, "whore whores slut sluts skank"],
  ["SLUR", 3, false, "nigger niggers nigga niggas faggot faggots retard retards retarded tranny trannies chink chinks spic spics kike kikes wetback wetbacks"],
  ["SLUR", 3, true, "fag fags dyke dykes"],
];

export const TOXIC_WORDS: ReadonlyMap<string, ToxicWord> = new Map(
  entries.flatMap(([label, severity, ambiguous, words]) =>
    words.split(" ").map((w): [string, ToxicWord] => [w, ambiguous ? { label, severity, ambiguous } : { label, severity }]),
  ),
);

/** Threats and self-harm incitement, matched as phrases. */
export const THREAT_PATTERN =
  /\b(?:kill\s+yourself|kys|go\s+(?:and\s+)?die|(?:i\s+will|i'll|i\s+am\s+going\s+to|i'm\s+going\s+to|gonna|i\s+want\s+to)\s+(?:kill|murder|hurt|stab|shoot)\s+you|(?:i\s+)?hope\s+you\s+(?:die|get\s+cancer)|you\s+should\s+(?:die|kill\s+yourself))\b/gi;
