package main

// #include <stdio.h>
// static void greet(void) { puts("hello from C, through glibc"); fflush(stdout); }
import "C"

func main() { C.greet() }
