/* test-transfer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A HailTransferView as the core engine gives it, driven by the tests:
 * they set its progress and state; cancel and retry are counted.
 */
#pragma once

#include "hail-transfer-view.h"

G_BEGIN_DECLS

#define TEST_TYPE_TRANSFER (test_transfer_get_type ())
G_DECLARE_FINAL_TYPE (TestTransfer, test_transfer, TEST, TRANSFER, GObject)

struct _TestTransfer {
  GObject parent_instance;
  gint64 id;
  char *remote;
  char *name;
  char *reason;
  GFile *file;
  guint64 size;
  guint64 done;
  HailTransferViewState state;
  gboolean outgoing;
  gboolean unsupported;
  guint cancels;
  guint retries;
};

TestTransfer *test_transfer_new      (gint64                 id,
                                      const char            *remote,
                                      GFile                 *file,
                                      guint64                size,
                                      gboolean               outgoing);
void          test_transfer_progress (TestTransfer          *self,
                                      guint64                done,
                                      HailTransferViewState  state,
                                      const char            *reason);
/* FAILED as a peer whose app takes no files makes it. */
void          test_transfer_fail_unsupported (TestTransfer  *self);

G_END_DECLS
