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
} HailEngineError;

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

G_END_DECLS
