// Package attachments implements `monzo attachments add|remove`.
package attachments

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// Options are the attachments commands' inputs.
type Options struct {
	IO            *iostreams.IOStreams
	Factory       *cmdutil.Factory
	JSON          cmdutil.JSONFlags
	TransactionID string
	File          string
	AttachmentID  string
}

// NewCmdAttachments returns `monzo attachments`.
func NewCmdAttachments(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "attachments <command>",
		Short: "Attach images to transactions, or remove them",
		Example: `  $ monzo attachments add tx_… receipt.jpg
  $ monzo attachments remove attach_…`,
	}
	return cmdutil.Group(cmd, NewCmdAdd(f, nil), NewCmdRemove(f, nil))
}

// NewCmdAdd returns `monzo attachments add`.
func NewCmdAdd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "add TRANSACTION FILE",
		Short:   "Upload an image and attach it to a transaction",
		Example: `  $ monzo attachments add tx_… receipt.png`,
		Args:    cmdutil.ExactArgsInto("a TRANSACTION id and a FILE", &opts.TransactionID, &opts.File),
		RunE:    cmdutil.RunE(opts, &opts.JSON, runF, RunAdd),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunAdd runs `monzo attachments add`.
func RunAdd(ctx context.Context, opts *Options) error {
	// The file is opened and typed before anything is sent.
	file, err := os.Open(opts.File)
	if err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("reading %s: %w", opts.File, err)}
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return err
	}
	if info.IsDir() {
		return cmdutil.Usagef("%s is a directory, not an image", opts.File)
	}
	fileType := mime.TypeByExtension(filepath.Ext(opts.File))
	if fileType == "" {
		head := make([]byte, 512)
		n, _ := file.ReadAt(head, 0)
		fileType = http.DetectContentType(head[:n])
	}
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	att, err := client.Attachments.Attach(ctx, monzo.AttachRequest{
		TransactionID: opts.TransactionID, FileName: filepath.Base(opts.File), FileType: fileType, Body: file, Size: info.Size()})
	if err != nil {
		return cmdutil.NotFoundHint(err, "no such transaction for this login: `monzo transactions` lists their ids")
	}
	return opts.JSON.WriteResult(ctx, opts.IO, cmdutil.RawOr(att.Raw, att),
		"Attached %s to %s as %s.\n", filepath.Base(opts.File), opts.TransactionID, att.ID)
}

// NewCmdRemove returns `monzo attachments remove`.
func NewCmdRemove(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "remove ATTACHMENT",
		Short:   "Detach an attachment from its transaction",
		Example: `  $ monzo attachments remove attach_…`,
		Args:    cmdutil.ExactArgsInto("an ATTACHMENT id", &opts.AttachmentID),
		RunE:    cmdutil.RunE(opts, &opts.JSON, runF, RunRemove),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunRemove runs `monzo attachments remove`.
func RunRemove(ctx context.Context, opts *Options) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	if err := client.Attachments.Deregister(ctx, opts.AttachmentID); err != nil {
		return cmdutil.NotFoundHint(err, "no such attachment: `monzo transactions show TX` lists a transaction's attachments")
	}
	return opts.JSON.WriteResult(ctx, opts.IO, map[string]any{"id": opts.AttachmentID, "removed": true},
		"Removed attachment %s.\n", opts.AttachmentID)
}
