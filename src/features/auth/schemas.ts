import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long")
  .pipe(z.email("Enter a valid email address"));

export const passwordSchema = z
  .string()
  .min(8, "Password must be at least 8 characters")
  .max(200, "Password must be at most 200 characters");

export const nameSchema = z.string().trim().min(1, "Name is required").max(100, "Name is too long");

export const signUpInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema,
  /** Name of the organization created for the user; defaults to "<name>'s org". */
  orgName: z.string().trim().min(1).max(100).optional(),
  /** Sign up through an invite: joins that org instead of creating one. */
  inviteToken: z.string().max(200).optional(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
});
