/* store-test-helpers.h: what the store tests share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-store.h"

G_BEGIN_DECLS

/* Waits (at most 20 s) for the callback of an async call made with
 * store_test_result_cb and @slot as user data; returns the result. */
void          store_test_result_cb   (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      user_data);
GAsyncResult *store_test_wait        (GAsyncResult **slot);

/* A fresh temporary directory (removed by the caller with store_test_rmdir). */
char         *store_test_make_dir    (void);
void          store_test_rmdir       (const char   *path);

HailStore    *store_test_open        (const char   *path);
GError       *store_test_open_error  (const char   *path);
void          store_test_close       (HailStore    *store);

gint64        store_test_add_out     (HailStore    *store,
                                      const char   *remote,
                                      const char   *body);
gint64        store_test_add_in      (HailStore    *store,
                                      const char   *remote,
                                      const char   *body,
                                      const char   *call_id,
                                      guint         cseq,
                                      gboolean     *duplicate);
GListModel   *store_test_pending     (HailStore    *store);

/* Runs one SQL query on @path with a separate connection; returns the first
 * column of the first row as text (or NULL). */
char         *store_test_sql         (const char   *path,
                                      const char   *sql);
/* The same for a statement whose result does not matter. */
void          store_test_exec        (const char   *path,
                                      const char   *sql);

G_END_DECLS
