/* hail-engine.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-account-config.h"

G_BEGIN_DECLS

/* What the windows need from the SIP engine. src/core will implement this
 * (issue #4); until then HailOfflineEngine says plainly that it is absent. */

#define HAIL_ENGINE_ERROR (hail_engine_error_quark ())

typedef enum {
  HAIL_ENGINE_ERROR_UNAVAILABLE,   /* No SIP engine in this build. */
  HAIL_ENGINE_ERROR_FAILED,        /* Signing in failed; the message says why. */
} HailEngineError;

/* What the main window shows beside each account (UX.md rule 4). */
typedef enum {
  HAIL_ENGINE_ACCOUNT_DISABLED,    /* The user turned it off. */
  HAIL_ENGINE_ACCOUNT_OFFLINE,     /* Not signing in, with a reason (no engine, no password). */
  HAIL_ENGINE_ACCOUNT_CONNECTING,
  HAIL_ENGINE_ACCOUNT_ONLINE,
  HAIL_ENGINE_ACCOUNT_FAILED,      /* The reason says what went wrong and what to try. */
} HailEngineAccountState;

#define HAIL_TYPE_ENGINE (hail_engine_get_type ())

G_DECLARE_INTERFACE (HailEngine, hail_engine, HAIL, ENGINE, GObject)

struct _HailEngineInterface {
  GTypeInterface parent_iface;

  gboolean (*is_available)         (HailEngine           *self);
  void     (*check_account_async)  (HailEngine           *self,
                                    HailAccountConfig    *config,
                                    const char           *password,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  gboolean (*check_account_finish) (HailEngine           *self,
                                    GAsyncResult         *result,
                                    GError              **error);
  HailEngineAccountState
           (*get_account_state)    (HailEngine           *self,
                                    const char           *address,
                                    const char          **reason);
  void     (*retry_account)        (HailEngine           *self,
                                    const char           *address);
  void     (*shutdown_async)       (HailEngine           *self,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  void     (*shutdown_finish)      (HailEngine           *self,
                                    GAsyncResult         *result);
};

GQuark   hail_engine_error_quark          (void);

gboolean hail_engine_is_available         (HailEngine           *self);
void     hail_engine_check_account_async  (HailEngine           *self,
                                           HailAccountConfig    *config,
                                           const char           *password,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean hail_engine_check_account_finish (HailEngine           *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* The state of the account whose config has @address; @reason (nullable)
 * receives a sentence for people, or NULL. "account-changed" (const char
 * *address) is emitted when it changes. */
HailEngineAccountState
         hail_engine_get_account_state    (HailEngine           *self,
                                           const char           *address,
                                           const char          **reason);
/* Signs in again now instead of waiting for the next automatic try. */
void     hail_engine_retry_account        (HailEngine           *self,
                                           const char           *address);
/* Signs every account out, within a bounded time; never fails. */
void     hail_engine_shutdown_async       (HailEngine           *self,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
void     hail_engine_shutdown_finish      (HailEngine           *self,
                                           GAsyncResult         *result);

G_END_DECLS
