/**
 * Passwords (mật khẩu): hashed with argon2id (`@node-rs/argon2`, its default parameters:
 * 19 MiB, 2 passes), checked against the stored PHC string, and generated for new accounts.
 */
import { randomInt } from 'node:crypto'
import { hash, verify, type Algorithm } from '@node-rs/argon2'
import { Invalid } from '../errors.js'

// Algorithm.Argon2id: the package's enum is a `const enum`, which isolated modules cannot read.
const ARGON2ID = 2 as Algorithm
export const MIN_PASSWORD_LENGTH = 8

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID })
}

/** False for a wrong password and for a stored hash that cannot be read (never throws for those). */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password)
  } catch {
    return false
  }
}

/** A hash to verify against when the user does not exist, so that case takes as long as a wrong password. */
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('landbook-decoy-password')
  return decoy
}

export function checkPasswordRules(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new Invalid(`Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự (password must be at least ${MIN_PASSWORD_LENGTH} characters).`, { field: 'password' })
  }
}

// No 0/O, 1/l/I: generated passwords are read off a screen and typed.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A random password of 16 characters (about 93 bits), in groups of four for reading aloud. */
export function generatePassword(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)])
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-')
}
