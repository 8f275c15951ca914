// A container that reports what the real-node test asserts from inside a pod: its uid/gid, whether its root filesystem
// is writable, and the memory limit of its own cgroup (v1 or v2). GET /healthz for probes, GET /facts for the test.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strings"
)

type facts struct {
	UID          int    `json:"uid"`
	GID          int    `json:"gid"`
	Hostname     string `json:"hostname"`
	RootWritable bool   `json:"rootWritable"`
	WriteError   string `json:"writeError"`
	MemoryLimit  string `json:"memoryLimit"`
}

func memoryLimit() string {
	for _, file := range []string{"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max"} {
		if data, err := os.ReadFile(file); err == nil {
			return strings.TrimSpace(string(data))
		}
	}
	return ""
}

func main() {
	addr := ":8080"
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	http.HandleFunc("/facts", func(w http.ResponseWriter, _ *http.Request) {
		hostname, _ := os.Hostname()
		f := facts{UID: os.Getuid(), GID: os.Getgid(), Hostname: hostname, MemoryLimit: memoryLimit()}
		if file, err := os.Create("/probe-write"); err == nil {
			f.RootWritable = true
			_ = file.Close()
			_ = os.Remove("/probe-write")
		} else {
			f.WriteError = err.Error()
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f)
	})
	log.Printf("podfacts listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
