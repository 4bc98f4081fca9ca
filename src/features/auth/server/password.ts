import bcrypt from "bcryptjs";

const COST = 11;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A fixed hash compared against when the user does not exist, so timing does not reveal it. */
export const DUMMY_HASH = "$2b$11$C6UzMDM.H6dfI/f/IKxGhuQn1bXv5N1Ff8tJ0G0r5p4xWj8x4jY1W";
