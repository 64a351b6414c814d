package main

import (
	"crypto/x509"
	"fmt"
	"os"
	"os/user"
)

// Reports who it runs as (os/user reads /etc/passwd without cgo) and how many certificates it
// could load from the image's CA bundle.
func main() {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	fmt.Printf("uid=%d gid=%d user=%s\n", os.Getuid(), os.Getgid(), name)
	pem, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		fmt.Println("ca bundle:", err)
		os.Exit(1)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	system, err := x509.SystemCertPool()
	if err != nil {
		fmt.Println("system pool:", err)
		os.Exit(1)
	}
	fmt.Printf("certificates=%d system=%d\n", len(pool.Subjects()), len(system.Subjects()))
}
