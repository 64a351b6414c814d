package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
)

// Set by -X in <ldflags>, from the plugin's templates.
var (
	commit = "none"
	short  = "none"
	date   = "none"
)

func main() {
	exe, _ := os.Executable()
	fmt.Printf("exe=%s\n", exe)
	fmt.Printf("commit=%s short=%s date=%s\n", commit, short, date)
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision", "vcs.modified", "-ldflags", "-trimpath":
				fmt.Printf("build %s=%s\n", s.Key, s.Value)
			}
		}
	}
	fmt.Printf("uid=%d gid=%d\n", os.Getuid(), os.Getgid())
	home := os.Getenv("HOME")
	if st, err := os.Stat(home); err == nil {
		owner := st.Sys().(*syscall.Stat_t)
		fmt.Printf("home=%s mode=%v owner=%d:%d\n", home, st.Mode(), owner.Uid, owner.Gid)
	}
	if err := os.WriteFile(home+"/state.txt", []byte("ok"), 0o600); err != nil {
		fmt.Printf("write home: %v\n", err)
	} else {
		fmt.Println("wrote home state")
	}
	if b, err := os.ReadFile(home + "/.config/exporter.conf"); err == nil {
		fmt.Printf("config=%s", b)
	}
	if b, err := os.ReadFile("/usr/share/doc/exporter/LICENSE"); err == nil {
		fmt.Printf("license=%s", b)
	} else {
		fmt.Printf("license: %v\n", err)
	}
}
