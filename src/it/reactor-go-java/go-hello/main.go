package main

import "fmt"

func main() {
	fmt.Println("go-hello: built in a reactor with go-web and java-app")
}
