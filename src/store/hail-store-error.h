/* hail-store-error.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HAIL_STORE_ERROR (hail_store_error_quark ())

/**
 * HailStoreError:
 * @HAIL_STORE_ERROR_FAILED: SQLite failed in a way no other code describes
 * @HAIL_STORE_ERROR_CORRUPT: the file is not a Hail database, or is damaged
 * @HAIL_STORE_ERROR_TOO_NEW: the database was written by a newer Hail
 * @HAIL_STORE_ERROR_READ_ONLY: the file or its directory cannot be written
 * @HAIL_STORE_ERROR_BUSY: another process holds the database lock
 * @HAIL_STORE_ERROR_FULL: the disk is full
 * @HAIL_STORE_ERROR_IO: the operating system failed to read or write
 * @HAIL_STORE_ERROR_NOT_FOUND: no row (message, conversation, call) has that id
 * @HAIL_STORE_ERROR_INVALID: the input is malformed or exceeds a bound
 * @HAIL_STORE_ERROR_CLOSED: the store was closed before the operation ran
 * @HAIL_STORE_ERROR_LOCKED_KEYRING: the Secret Service collection is locked
 * @HAIL_STORE_ERROR_NO_SECRET_SERVICE: no session bus or no Secret Service provider
 *
 * Failures of the store layer. The UI maps each code to its own words.
 */
typedef enum {
  HAIL_STORE_ERROR_FAILED,
  HAIL_STORE_ERROR_CORRUPT,
  HAIL_STORE_ERROR_TOO_NEW,
  HAIL_STORE_ERROR_READ_ONLY,
  HAIL_STORE_ERROR_BUSY,
  HAIL_STORE_ERROR_FULL,
  HAIL_STORE_ERROR_IO,
  HAIL_STORE_ERROR_NOT_FOUND,
  HAIL_STORE_ERROR_INVALID,
  HAIL_STORE_ERROR_CLOSED,
  HAIL_STORE_ERROR_LOCKED_KEYRING,
  HAIL_STORE_ERROR_NO_SECRET_SERVICE,
} HailStoreError;

GQuark hail_store_error_quark (void);

G_END_DECLS
