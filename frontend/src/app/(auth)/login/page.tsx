import { titled } from "@/lib/server-i18n";
import { Suspense } from "react";

import { LoginForm } from "./login-form";

export const generateMetadata = titled("auth.login.title");

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
