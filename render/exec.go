package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// BinaryName is the renderer's executable.
const BinaryName = "dapilint-render"

// EnvBinary names an environment variable that, when set, is the path of
// the renderer to run.
const EnvBinary = "DAPILINT_RENDER"

// Request is what dapilint sends to dapilint-render on its standard input:
// one of Helm or Kustomize.
type Request struct {
	Version   int               `json:"version"`
	Helm      *HelmRequest      `json:"helm,omitempty"`
	Kustomize *KustomizeRequest `json:"kustomize,omitempty"`
}

// Response is what dapilint-render writes to its standard output.
type Response struct {
	Version   int              `json:"version"`
	Helm      *HelmResult      `json:"helm,omitempty"`
	Kustomize *KustomizeResult `json:"kustomize,omitempty"`
	// Error is why the input could not be rendered at all.
	Error string `json:"error,omitempty"`
}

// Serve answers one request read from r with r's renderer, writing the
// response to w. dapilint-render's main is this.
func Serve(rd Renderer, r io.Reader, w io.Writer) error {
	var req Request
	if err := json.NewDecoder(r).Decode(&req); err != nil {
		return fmt.Errorf("reading request: %w", err)
	}
	resp := Response{Version: ProtocolVersion}
	var err error
	switch {
	case req.Version != ProtocolVersion:
		err = fmt.Errorf("%s speaks protocol %d but dapilint sent %d: install both from the same version", BinaryName, ProtocolVersion, req.Version)
	case req.Helm != nil:
		resp.Helm, err = rd.Helm(*req.Helm)
	case req.Kustomize != nil:
		resp.Kustomize, err = rd.Kustomize(*req.Kustomize)
	default:
		err = errors.New("empty request")
	}
	if err != nil {
		resp.Error = err.Error()
	}
	return json.NewEncoder(w).Encode(resp)
}

// Exec is the Renderer that runs dapilint-render.
type Exec struct {
	// Getenv reads EnvBinary (os.Getenv when nil).
	Getenv func(string) string

	once sync.Once
	path string
	err  error
}

// ErrNoRenderer is returned when dapilint-render cannot be found.
var ErrNoRenderer = errors.New(BinaryName + " not found: charts and kustomizations are rendered by it; install it beside dapilint " +
	"(go install github.com/dapilint/dapilint/cmd/...@VERSION installs both) or set " + EnvBinary + " to its path")

// find looks for the renderer: $DAPILINT_RENDER, then beside the running
// executable, then on PATH.
func (e *Exec) find() (string, error) {
	e.once.Do(func() {
		getenv := e.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		if p := getenv(EnvBinary); p != "" {
			e.path = p
			return
		}
		if self, err := os.Executable(); err == nil {
			p := filepath.Join(filepath.Dir(self), BinaryName+exeSuffix())
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				e.path = p
				return
			}
		}
		if p, err := exec.LookPath(BinaryName); err == nil {
			e.path = p
			return
		}
		e.err = ErrNoRenderer
	})
	return e.path, e.err
}

func exeSuffix() string {
	if filepath.Separator == '\\' {
		return ".exe"
	}
	return ""
}

// Helm implements Renderer.
func (e *Exec) Helm(req HelmRequest) (*HelmResult, error) {
	resp, err := e.run(Request{Helm: &req})
	if err != nil {
		return nil, err
	}
	if resp.Helm == nil {
		return nil, errors.New(BinaryName + " returned no result")
	}
	return resp.Helm, nil
}

// Kustomize implements Renderer.
func (e *Exec) Kustomize(req KustomizeRequest) (*KustomizeResult, error) {
	resp, err := e.run(Request{Kustomize: &req})
	if err != nil {
		return nil, err
	}
	if resp.Kustomize == nil {
		return nil, errors.New(BinaryName + " returned no result")
	}
	return resp.Kustomize, nil
}

func (e *Exec) run(req Request) (*Response, error) {
	path, err := e.find()
	if err != nil {
		return nil, err
	}
	req.Version = ProtocolVersion
	in, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(path)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stdout = &out
	cmd.Stderr = &stderr
	runErr := cmd.Run()
	var resp Response
	if err := json.Unmarshal(out.Bytes(), &resp); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if runErr != nil {
			return nil, fmt.Errorf("running %s: %v %s", path, runErr, msg)
		}
		return nil, fmt.Errorf("%s wrote no valid answer: %v %s", path, err, msg)
	}
	if resp.Version != ProtocolVersion {
		return nil, fmt.Errorf("%s speaks protocol %d, this dapilint %d: install both from the same version", path, resp.Version, ProtocolVersion)
	}
	if resp.Error != "" {
		return nil, errors.New(resp.Error)
	}
	return &resp, nil
}
