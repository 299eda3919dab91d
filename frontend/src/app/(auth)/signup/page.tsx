import { titled } from "@/lib/server-i18n";
import { Suspense } from "react";

import { SignupForm } from "./signup-form";

export const generateMetadata = titled("auth.signup.title");

export default function SignupPage() {
  return (
    <Suspense>
      <SignupForm />
    </Suspense>
  );
}
